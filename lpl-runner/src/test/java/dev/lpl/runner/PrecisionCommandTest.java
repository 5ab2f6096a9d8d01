package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.core.train.CpuFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training.precision = bf16} from the command line: a run trains in bfloat16 where the CPU
 * has bfloat16 instructions and is refused in one line where it has not; its checkpoint (float32
 * weights) starts an fp32 run; Meta-Weight-Net is refused.
 */
@Tag("slow")
class PrecisionCommandTest {

    @TempDir
    Path dir;

    @Test
    void aBf16RunTrainsAndItsCheckpointStartsAnFp32Run() throws IOException {
        Path bf16 = dir.resolve("bf16");
        CommandLineTest.Result run = CommandLineTest.lpl(InitFromTest.train(bf16, "small-cnn", "linear",
                "training.precision=bf16", "model.small-cnn.width=16"));
        if (!CpuFeatures.detect().bf16()) {
            assertThat(run.code()).isNotZero();
            assertThat(run.err().lines().findFirst().orElseThrow())
                    .startsWith("error: training.precision = bf16 needs a CPU with bfloat16 instructions");
            assertThat(bf16).doesNotExist();
            return;
        }
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readString(bf16.resolve("resolved.conf"))).contains("precision=bf16");
        CommandLineTest.Result fp32 = CommandLineTest.lpl(InitFromTest.train(dir.resolve("fp32"), "small-cnn", "linear",
                "model.small-cnn.width=16", "model.init-from=" + bf16.resolve("checkpoints").resolve("epoch-0001")));
        assertThat(fp32.code()).as(fp32.err()).isZero();
    }

    @Test
    void metaWeightNetIsRefusedInBf16() {
        CommandLineTest.Result run = CommandLineTest.lpl(InitFromTest.train(dir.resolve("mwn"), "small-cnn", "linear",
                "training.precision=bf16", "method.type=meta-weight-net"));
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("training.precision = bf16 is not supported with meta-weight-net");
    }
}
