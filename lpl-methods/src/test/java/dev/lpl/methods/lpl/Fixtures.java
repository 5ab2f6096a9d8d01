package dev.lpl.methods.lpl;

import dev.lpl.api.LplException;
import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Optimizer;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import dev.lpl.core.config.TypesafeSettings;
import dev.lpl.methods.MethodsPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;

/** Test helpers: the module's reference.conf, a {@link Components} over the plugin, random batches. */
final class Fixtures {

    /** The CIFAR-10-LT ρ = 100 training counts (docs/methods.md#data). */
    static final long[] CIFAR10_LT = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

    private static final MethodsPlugin PLUGIN = new MethodsPlugin();
    private static final String REFERENCE = readReference();

    private Fixtures() {
    }

    private static String readReference() {
        try {
            Enumeration<URL> urls = Fixtures.class.getClassLoader().getResources("reference.conf");
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (text.contains("lpl.method {")) {
                        return text;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the module's reference.conf is not on the classpath");
    }

    /**
     * Returns the root configuration (reference.conf with the overrides applied), rooted at {@code
     * lpl}'s content so paths read {@code method.lpl...} as at run time.
     */
    private static Settings root(String overrides) {
        return new TypesafeSettings(
                TypesafeSettings.parse(REFERENCE + "\n" + overrides).config().getConfig("lpl"), "");
    }

    /** Returns {@code method.lpl} with overrides written relative to {@code lpl.method.lpl}. */
    static Settings lplSettings(String overrides) {
        return root("lpl.method.lpl {\n" + overrides + "\n}").getSettings("method").getSettings("lpl");
    }

    /** Creates the {@code lpl} method from the reference configuration plus overrides. */
    static Perturbation lpl(String overrides) {
        return new LplPerturbation.Factory().create(lplSettings(overrides), new PluginComponents());
    }

    /** Creates the {@code lpl} method as its concrete type. */
    static LplPerturbation lplMethod(String overrides) {
        return (LplPerturbation) lpl(overrides);
    }

    /** Components that create the plugin's own factories, as the core's wiring does. */
    static final class PluginComponents implements Components {

        @Override
        public SplitStrategy splitStrategy(Settings settings) {
            String type = settings.getString("type");
            return find(PLUGIN.splitStrategies(), type, settings).create(settings.getSettings(type));
        }

        @Override
        public BoundStrategy boundStrategy(Settings settings) {
            String type = settings.getString("type");
            return find(PLUGIN.boundStrategies(), type, settings).create(settings.getSettings(type));
        }

        @Override
        public Optimizer optimizer(Settings settings) {
            String type = settings.getString("type");
            return find(PLUGIN.optimizers(), type, settings).create(settings.getSettings(type));
        }

        private static <F extends PluginFactory> F find(List<F> factories, String type, Settings settings) {
            for (F factory : factories) {
                if (factory.name().equals(type)) {
                    return factory;
                }
            }
            throw new LplException("unknown " + settings.path() + ".type " + type);
        }
    }

    /** Components whose optimizer cannot differentiate through its loop. */
    static final class PlainOptimizerComponents implements Components {
        private final PluginComponents delegate = new PluginComponents();

        @Override
        public SplitStrategy splitStrategy(Settings settings) {
            return delegate.splitStrategy(settings);
        }

        @Override
        public BoundStrategy boundStrategy(Settings settings) {
            return delegate.boundStrategy(settings);
        }

        @Override
        public Optimizer optimizer(Settings settings) {
            Optimizer inner = delegate.optimizer(settings);
            return inner::solve;
        }
    }

    /** Row-major B×C logits with entries uniform in [-scale, scale]. */
    static float[] randomLogits(Random random, int batchSize, int numClasses, double scale) {
        float[] logits = new float[batchSize * numClasses];
        for (int n = 0; n < logits.length; n++) {
            logits[n] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return logits;
    }

    /** Labels in [0, C), every class present when B ≥ C (a permutation of the first C samples). */
    static int[] randomLabels(Random random, int batchSize, int numClasses) {
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = i < numClasses ? i : random.nextInt(numClasses);
        }
        for (int i = batchSize - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    /** The exponential long-tail profile {@code ⌊n_max·ρ^{−c/(C−1)}⌋}. */
    static long[] longTail(int numClasses, long max, double ratio) {
        long[] counts = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = (long) Math.floor(max * Math.pow(ratio, -c / (double) (numClasses - 1)));
        }
        return counts;
    }

    /** The plugin's split-strategy factories. */
    static List<SplitStrategyFactory> splits() {
        return PLUGIN.splitStrategies();
    }

    /** The plugin's bound-strategy factories. */
    static List<BoundStrategyFactory> bounds() {
        return PLUGIN.boundStrategies();
    }
}
