package dev.candlebox.sandbox.reference;

import static dev.candlebox.sandbox.reference.Amounts.assertAmount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference account's arithmetic against amounts worked out by hand. Fee rate 0.1%. */
class ReferenceAccountTest {

    /** A kline that traded between 9 and 11. */
    private static final ReferenceKline KLINE = new ReferenceKline(7, 1_704_067_200_000L, 10, 11, 9, 10, 1);

    private ReferenceAccount account;

    @BeforeEach
    void newAccount() {
        account = new ReferenceAccount(new BigDecimal("1000"), new BigDecimal("0.001"));
        account.at(KLINE);
    }

    @Test
    void aBuyPaysCostAndFeeFromTheBalance() {
        assertTrue(account.buy(10, 2));
        // cost 10 * 2 = 20, fee 20 * 0.001 = 0.02, balance 1000 - 20.02 = 979.98
        assertAmount("979.98", account.balance());
        assertAmount("2", account.position());
        assertAmount("20.02", account.costBasis());
        assertAmount("10", account.avgPrice());
        ReferenceFill fill = account.fills().getFirst();
        assertEquals(7, fill.klineIndex());
        assertEquals(1_704_067_200_000L, fill.timestamp());
        assertEquals(ReferenceFill.Side.BUY, fill.side());
        assertAmount("10", fill.price());
        assertAmount("2", fill.amount());
        assertAmount("0.02", fill.fee());
        assertAmount("979.98", fill.balanceAfter());
        assertNull(fill.realised());
    }

    @Test
    void buysAverageByAmountAndSellsReleaseCostBasisPro_rata() {
        assertTrue(account.buy(10, 2));   // cost 20, fee 0.020 -> balance 979.980, basis 20.020
        assertTrue(account.buy(11, 1));   // cost 11, fee 0.011 -> balance 968.969, basis 31.031
        assertAmount("968.969", account.balance());
        assertAmount("3", account.position());
        assertAmount("31.031", account.costBasis());
        // average price (10 * 2 + 11 * 1) / 3 = 31 / 3, no fees, 34 digits
        assertAmount("10.33333333333333333333333333333333", account.avgPrice());
        assertEquals(31.0 / 3, account.avgPositionPrice());

        assertTrue(account.sell(11, 1.5));
        // proceeds 16.5, fee 0.0165 -> +16.4835 -> balance 985.4525
        // basis sold 31.031 * (1.5 / 3) = 15.5155 -> realised 16.4835 - 15.5155 = 0.968
        assertAmount("985.4525", account.balance());
        assertAmount("1.5", account.position());
        assertAmount("15.5155", account.costBasis());
        assertAmount("0.968", account.fills().get(2).realised());
        // a partial sell keeps the average price of what is still held
        assertEquals(31.0 / 3, account.avgPositionPrice());

        assertTrue(account.sellAll(9));
        // proceeds 13.5, fee 0.0135 -> +13.4865 -> balance 998.939; realised 13.4865 - 15.5155 = -2.029
        assertAmount("998.939", account.balance());
        assertAmount("0", account.position());
        assertAmount("-2.029", account.fills().get(3).realised());
        assertAmount("0", account.costBasis());
        assertEquals(0.0, account.avgPositionPrice());
        // fees 0.02 + 0.011 + 0.0165 + 0.0135 = 0.061; check: 1000 - 31 (bought) + 30 (sold) - 0.061 = 998.939
        assertAmount("0.061", account.fees());
    }

    @Test
    void aBuyThatCostsExactlyTheBalanceWithItsFeeFills() {
        ReferenceAccount small = new ReferenceAccount(new BigDecimal("100.1"), new BigDecimal("0.001"));
        small.at(KLINE);
        // 10 * 10 = 100, fee 0.1, total 100.1 = balance
        assertTrue(small.buy(10, 10));
        assertAmount("0", small.balance());
        // one more unit of the smallest amount is refused
        assertFalse(small.buy(10, 1e-9));
    }

    @Test
    void invalidOrdersReturnFalseAndChangeNothing() {
        assertTrue(account.buy(10, 2));
        List<ReferenceFill> before = account.fills();
        BigDecimal balance = account.balance();

        assertFalse(account.buy(10, 100), "cost 1000 + fee 1 > balance 979.98");
        assertFalse(account.buy(11.01, 1), "above the kline's high 11");
        assertFalse(account.buy(8.99, 1), "below the kline's low 9");
        assertFalse(account.buy(Double.NaN, 1));
        assertFalse(account.buy(Double.POSITIVE_INFINITY, 1));
        assertFalse(account.buy(10, Double.NaN));
        assertFalse(account.buy(10, Double.POSITIVE_INFINITY));
        assertFalse(account.buy(10, 0));
        assertFalse(account.buy(10, -1));
        assertFalse(account.buy(0, 1));
        assertFalse(account.buy(-10, 1));
        assertFalse(account.sell(10, 2.000000001), "more than the position 2");
        assertFalse(account.sell(10, -1));
        assertFalse(account.sell(10, 0));
        assertFalse(account.sell(10, Double.NaN));
        assertFalse(account.sell(Double.NaN, 1));
        assertFalse(account.sell(12, 1), "above the kline's high");
        assertFalse(account.sellAll(8), "below the kline's low");

        assertEquals(before, account.fills());
        assertEquals(balance, account.balance());
        assertAmount("2", account.position());
    }

    @Test
    void pricesAtTheKlinesLowAndHighAreTradable() {
        assertTrue(account.buy(9, 1));
        assertTrue(account.buy(11, 1));
        assertTrue(account.sell(9, 1));
        assertTrue(account.sellAll(11));
        assertEquals(4, account.fills().size());
    }

    @Test
    void sellAllWhenFlatIsRefused() {
        assertFalse(account.sellAll(10));
        assertTrue(account.fills().isEmpty());
    }

    @Test
    void floatsBecomeDecimalsThroughTheirShortestRepresentation() {
        // BigDecimal.valueOf(0.1) is 0.1 (not 0.1000000000000000055511151231257827...)
        assertTrue(account.buy(10, 0.1));
        assertEquals(new BigDecimal("0.1"), account.fills().getFirst().amount());
        // cost 10 * 0.1 = 1 exactly, fee 0.001, balance 1000 - 1.001 = 998.999
        assertAmount("0.001", account.fills().getFirst().fee());
        assertAmount("998.999", account.balance());
    }

    @Test
    void theBalanceDividesByAFloatLikePythonDecimal() {
        // float(Decimal(1000) / Decimal(3.0)) = the double nearest 1000/3
        assertEquals(333.3333333333333, account.balanceOver(3.0));
        assertEquals(100.0, account.balanceOver(10.0));
    }

    @Test
    void equityIsBalancePlusPositionAtThePrice() {
        assertTrue(account.buy(10, 2)); // balance 979.98
        // 979.98 + 2 * 10.5 = 1000.98
        assertAmount("1000.98", account.equity(10.5));
    }
}
