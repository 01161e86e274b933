package dev.candlebox.db.ingest;

import java.util.Optional;

/**
 * An import that cannot go on: a file Candlebox cannot read (the message names the file and line), a series
 * it cannot determine, or a source that keeps failing. Rows stored before the failure stay stored (the
 * partial report says how many); importing is idempotent, so the fix is to correct the cause and run the
 * import again.
 */
public final class ImportException extends RuntimeException {
    private final transient ImportReport partialReport;
    private final transient FundingReport fundingReport;

    public ImportException(String message) {
        this(message, null, null, null);
    }

    public ImportException(String message, Throwable cause) {
        this(message, cause, null, null);
    }

    private ImportException(String message, Throwable cause, ImportReport partialReport, FundingReport fundingReport) {
        super(message, cause);
        this.partialReport = partialReport;
        this.fundingReport = fundingReport;
    }

    /** The report of what was done before the failure, when rows had been read (it is in the import log too). */
    public Optional<ImportReport> partialReport() {
        return Optional.ofNullable(partialReport);
    }

    /** For a funding-rate import: the report of what was done before the failure (it is in the import log too). */
    public Optional<FundingReport> fundingReport() {
        return Optional.ofNullable(fundingReport);
    }

    ImportException withReport(ImportReport report) {
        ImportException e = new ImportException(getMessage(), getCause(), report, null);
        e.setStackTrace(getStackTrace());
        return e;
    }

    ImportException withFundingReport(FundingReport report) {
        ImportException e = new ImportException(getMessage(), getCause(), null, report);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** An error about one row of a source: {@code "data.csv line 17: ..."}. */
    static ImportException at(String source, String where, String what) {
        return new ImportException(source + " " + where + ": " + what);
    }
}
