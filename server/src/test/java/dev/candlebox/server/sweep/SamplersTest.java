package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.server.http.BadRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The samplers on functions whose optimum is known: TPE gets into the optimum's region in fewer trials than
 * random search, as a median over seeds; grid and random are reproducible and stay in the space.
 */
class SamplersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CAP = 150;

    static SearchSpace space(String json) {
        try {
            return SearchSpace.parse(JSON.readTree(json), "space");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Trials until f ≤ target (CAP + 1 if never), with {@code parallel} trials in flight (constant liar). */
    static int trialsToTarget(Sampler s, ToDoubleFunction<double[]> f, double target, int parallel) {
        List<Sampler.Observation> done = new ArrayList<>();
        List<double[]> running = new ArrayList<>();
        List<Integer> runningIds = new ArrayList<>();
        for (int t = 0; t < CAP; t++) {
            // as the sweep does: trial t sees trials up to t - parallel finished and the rest pending
            while (running.size() >= parallel) {
                double[] p = running.removeFirst();
                int id = runningIds.removeFirst();
                double loss = f.applyAsDouble(p);
                done.add(new Sampler.Observation(id, p, loss));
                if (loss <= target) return id + 1;
            }
            double[] p = s.next(t, List.copyOf(done), List.copyOf(running));
            running.add(p);
            runningIds.add(t);
        }
        while (!running.isEmpty()) {
            double[] p = running.removeFirst();
            int id = runningIds.removeFirst();
            if (f.applyAsDouble(p) <= target) return id + 1;
        }
        return CAP + 1;
    }

    static double median(int[] v) {
        int[] s = v.clone();
        Arrays.sort(s);
        return (s[s.length / 2] + s[(s.length - 1) / 2]) / 2.0;
    }

    static final ToDoubleFunction<double[]> BOWL = p -> p[0] * p[0] + p[1] * p[1];

    /** Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887 at three points. */
    static final ToDoubleFunction<double[]> BRANIN = p -> {
        double x = p[0], y = p[1];
        double a = y - 5.1 / (4 * Math.PI * Math.PI) * x * x + 5 / Math.PI * x - 6;
        return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    };

    void tpeBeatsRandom(String spaceJson, ToDoubleFunction<double[]> f, double target, int parallel) {
        SearchSpace space = space(spaceJson);
        int seeds = 10;
        int[] tpe = new int[seeds], random = new int[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            tpe[seed] = trialsToTarget(new TpeSampler(space, seed), f, target, parallel);
            random[seed] = trialsToTarget(new RandomSampler(space, seed), f, target, parallel);
        }
        String detail = "TPE " + Arrays.toString(tpe) + " random " + Arrays.toString(random);
        System.out.println("trials to the target, " + spaceJson + " parallel " + parallel + ": " + detail);
        assertTrue(median(tpe) < 0.6 * median(random), detail);
        assertTrue(Arrays.stream(tpe).filter(t -> t <= CAP).count() >= 8, "TPE reached the target within " + CAP + ": " + detail);
    }

    @Test
    void tpeFindsTheBottomOfAQuadraticBowlFasterThanRandomSearch() {
        tpeBeatsRandom("{\"x\": {\"float\": [-10, 10]}, \"y\": {\"float\": [-10, 10]}}", BOWL, 1.0, 1);
    }

    @Test
    void tpeFindsABraninMinimumFasterThanRandomSearch() {
        tpeBeatsRandom("{\"x\": {\"float\": [-5, 10]}, \"y\": {\"float\": [0, 15]}}", BRANIN, 0.397887 + 0.1, 1);
    }

    @Test
    void tpeWithFourTrialsInFlightStillBeatsRandomSearch() {
        tpeBeatsRandom("{\"x\": {\"float\": [-10, 10]}, \"y\": {\"float\": [-10, 10]}}", BOWL, 1.0, 4);
    }

    @Test
    void tpeOnIntegersAndChoicesFindsThePlantedBest() {
        // best at n = 37 (on a step-1 range 1..100) with mode "b"; loss grows with the distance
        SearchSpace space = space("{\"n\": {\"int\": [1, 100]}, \"mode\": {\"choice\": [\"a\", \"b\", \"c\", \"d\"]}}");
        ToDoubleFunction<double[]> f = p -> Math.abs(p[0] - 37) + (p[1] == 1 ? 0 : 30);
        int[] tpe = new int[10], random = new int[10];
        for (int seed = 0; seed < 10; seed++) {
            tpe[seed] = trialsToTarget(new TpeSampler(space, seed), f, 2, 1);
            random[seed] = trialsToTarget(new RandomSampler(space, seed), f, 2, 1);
        }
        assertTrue(median(tpe) < 0.6 * median(random), "TPE " + Arrays.toString(tpe) + " random " + Arrays.toString(random));
    }

    @Test
    void theSameSeedGivesTheSameTrials() {
        SearchSpace space = space("{\"x\": {\"float\": [0.001, 1], \"log\": true}, \"n\": {\"int\": [5, 50], \"step\": 5}}");
        for (Sampler s : new Sampler[]{new RandomSampler(space, 3), new TpeSampler(space, 3)}) {
            List<Sampler.Observation> done = new ArrayList<>();
            List<double[]> first = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                double[] p = s.next(t, List.copyOf(done), List.of());
                first.add(p);
                done.add(new Sampler.Observation(t, p, Math.abs(p[0] - 0.1) + p[1]));
                assertTrue(p[0] >= 0.001 && p[0] <= 1 && p[1] >= 5 && p[1] <= 50 && p[1] % 5 == 0, Arrays.toString(p));
            }
            Sampler again = s instanceof TpeSampler ? new TpeSampler(space, 3) : new RandomSampler(space, 3);
            List<Sampler.Observation> done2 = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                double[] p = again.next(t, List.copyOf(done2), List.of());
                assertArrayEquals(first.get(t), p);
                done2.add(new Sampler.Observation(t, p, Math.abs(p[0] - 0.1) + p[1]));
            }
        }
    }

    @Test
    void theGridIsTheProductInOrderLastParameterFastest() {
        SearchSpace space = space("{\"fast\": {\"int\": [5, 15], \"step\": 5}, \"sl\": {\"float\": [0.01, 0.02], \"step\": 0.01}, \"m\": {\"choice\": [\"a\", \"b\"]}}");
        assertEquals(12, space.gridSize());
        GridSampler g = new GridSampler(space);
        assertEquals("{\"fast\":5,\"sl\":0.01,\"m\":\"a\"}", space.values(g.next(0, List.of(), List.of())).toString());
        assertEquals("{\"fast\":5,\"sl\":0.01,\"m\":\"b\"}", space.values(g.next(1, List.of(), List.of())).toString());
        assertEquals("{\"fast\":5,\"sl\":0.02,\"m\":\"a\"}", space.values(g.next(2, List.of(), List.of())).toString());
        assertEquals("{\"fast\":15,\"sl\":0.02,\"m\":\"b\"}", space.values(g.next(11, List.of(), List.of())).toString());
    }

    @Test
    void aBadSpaceIsRefusedNamingTheField() {
        record Case(String json, String field, String detail) {}
        for (Case c : List.of(
                new Case("{}", "space", "at least one"),
                new Case("{\"fast\": {\"int\": [50, 5]}}", "space.fast", "reversed"),
                new Case("{\"fast\": {\"float\": [0.5, 0.1]}}", "space.fast", "reversed"),
                new Case("{\"fast\": {\"range\": [1, 5]}}", "space.fast", "no known parameter kind"),
                new Case("{\"fast\": {\"int\": [1, 5], \"step\": 0}}", "space.fast", "step"),
                new Case("{\"fast\": {\"float\": [0, 1], \"log\": true}}", "space.fast", "log"),
                new Case("{\"m\": {\"choice\": []}}", "space.m", "non-empty"))) {
            BadRequest e = assertThrows(BadRequest.class, () -> space(c.json()), c.json());
            assertEquals(c.field(), e.body().get("field"), c.json());
            assertTrue(e.getMessage().contains(c.detail()), e.getMessage());
        }
    }

    @Test
    void optunasWeightsAndGamma() {
        assertEquals(1, TpeSampler.gamma(10));
        assertEquals(3, TpeSampler.gamma(21));
        assertEquals(25, TpeSampler.gamma(1000));
        // numpy: np.concatenate([np.linspace(1/27, 1, 2), np.ones(25)])
        double[] w = TpeSampler.weights(27);
        assertEquals(1.0 / 27, w[0], 1e-15);
        assertEquals(1.0, w[1], 1e-15);
        assertEquals(1.0, w[26], 1e-15);
    }

}
