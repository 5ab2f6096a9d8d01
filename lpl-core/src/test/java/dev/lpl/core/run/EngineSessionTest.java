package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.core.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EngineSession}: backend resolution, the engine's start and the backend's device. */
class EngineSessionTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static Settings root(String... sets) {
        List<String> all = new ArrayList<>(List.of("method.type=identity", "model.type=tiny-mlp", "data.type=tiny"));
        all.addAll(List.of(sets));
        return LPL.configLoader().load(null, all).settings();
    }

    @Test
    void resolvesTheConfiguredBackendAndThreadsWithoutStartingTheEngine() {
        EngineSession session = EngineSession.of(root("training.backend=cpu", "training.threads=3"), LPL.registry());

        assertThat(session.backendName()).isEqualTo("cpu");
        assertThat(session.threads()).isEqualTo(3);
        assertThatThrownBy(session::engine).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
        assertThat(LPL.runFactory().engineSession(root()).backendName()).isEqualTo("auto"); // the default
    }

    @Test
    void refusesAnUnknownBackendWithTheNearestKnownName() {
        assertThatThrownBy(() -> EngineSession.of(root("training.backend=cpux"), LPL.registry()))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("unknown backend 'cpux' (training.backend); did you mean 'cpu'?")
                .hasMessageContaining("known: auto, cpu")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAThreadCountOutOfRange() {
        assertThatThrownBy(() -> EngineSession.of(root("training.threads=-1"), LPL.registry()))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("training.threads");
    }

    @Test
    void theCpuBackendComputesOnTheCpuAndAutoOnTheFirstGpuIfAny() {
        EngineSession cpu = EngineSession.of(root("training.backend=cpu"), LPL.registry()).start();
        assertThat(cpu.device()).isEqualTo(Device.cpu());
        assertThat(cpu.engine()).isSameAs(Engine.getInstance());
        assertThat(cpu.start()).isSameAs(cpu); // idempotent

        EngineSession auto = EngineSession.of(root("training.backend=auto"), LPL.registry()).start();
        assertThat(auto.device()).isEqualTo(auto.engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu());
        assertThat(auto.engine()).isSameAs(cpu.engine()); // one engine per process
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void seedsTheEnginesGenerator() {
        EngineSession session = EngineSession.withThreads(0).start();
        try (NDManager manager = session.engine().newBaseManager()) {
            session.seed(Seeds.derive(7, "init"));
            float[] first = manager.randomNormal(new Shape(4)).toFloatArray();
            session.seed(Seeds.derive(7, "init"));
            assertThat(manager.randomNormal(new Shape(4)).toFloatArray()).containsExactly(first);
        }
    }
}
