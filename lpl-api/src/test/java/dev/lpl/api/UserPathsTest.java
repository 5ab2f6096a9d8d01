package dev.lpl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UserPathsTest {

    @Test
    void expandsALeadingTildeAsAShellDoes() {
        assertThat(UserPaths.expand("~", "/home/ada")).isEqualTo(Path.of("/home/ada"));
        assertThat(UserPaths.expand("~/", "/home/ada")).isEqualTo(Path.of("/home/ada"));
        assertThat(UserPaths.expand("~/pets/train", "/home/ada")).isEqualTo(Path.of("/home/ada/pets/train"));
    }

    @Test
    void leavesEveryOtherPathAlone() {
        assertThat(UserPaths.expand("runs/~a", "/home/ada")).isEqualTo(Path.of("runs/~a"));
        assertThat(UserPaths.expand("/data/~/x", "/home/ada")).isEqualTo(Path.of("/data/~/x"));
        assertThat(UserPaths.expand("relative/dir", "/home/ada")).isEqualTo(Path.of("relative/dir"));
        assertThat(UserPaths.expand("", "/home/ada")).isEqualTo(Path.of(""));
    }

    @Test
    void refusesAnotherUsersHomeInsteadOfTakingItLiterally() {
        assertThatThrownBy(() -> UserPaths.expand("~bob/pets", "/home/ada"))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("path ~bob/pets starts with ~bob (another user's home directory)")
                .hasMessageContaining("write the full path");
    }

    @Test
    void homeIsHomeOrUserHome() {
        String env = System.getenv("HOME");
        assertThat(UserPaths.home()).isEqualTo(env == null || env.isBlank() ? System.getProperty("user.home") : env);
        assertThat(UserPaths.expand("~/x")).isEqualTo(Path.of(UserPaths.home(), "x"));
    }
}
