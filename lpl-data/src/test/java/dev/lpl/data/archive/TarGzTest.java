package dev.lpl.data.archive;

import static dev.lpl.data.testing.CifarFixtures.tarGz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.data.download.Checksums;
import dev.lpl.data.testing.CifarFixtures;
import dev.lpl.data.testing.CifarFixtures.TarEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

    private static final String FIX = "delete it and download it again";

    @TempDir
    Path temp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path archive(byte[] bytes) throws IOException {
        return Files.write(temp.resolve("a.tar.gz"), bytes);
    }

    private Path destination() throws IOException {
        return Files.createDirectories(temp.resolve("inside/dest"));
    }

    /** Everything under temp except the archive itself, relative. */
    private List<String> allFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(temp)) {
            return walk.filter(p -> !p.equals(temp)).map(p -> temp.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void extractsFilesAndDirectoriesAndLeavesNoTemporaryDirectory() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("top/", null);
        entries.put("top/a.txt", text("alpha"));
        entries.put("top/sub/b.bin", new byte[] {1, 2, 3});
        entries.put("./second.txt", text("two"));
        Path archive = archive(tarGz(entries, Map.of("top/link", "sub/b.bin"), Map.of("top/hard", "top/a.txt")));
        Path dest = destination();
        Files.createDirectories(dest.resolve("top/stale"));

        List<Path> moved = TarGz.extract(archive, dest, FIX);

        assertThat(moved).containsExactly(dest.resolve("second.txt"), dest.resolve("top"));
        assertThat(Files.readString(dest.resolve("top/a.txt"))).isEqualTo("alpha");
        assertThat(Files.readAllBytes(dest.resolve("top/sub/b.bin"))).containsExactly(1, 2, 3);
        assertThat(Files.readString(dest.resolve("second.txt"))).isEqualTo("two");
        assertThat(Files.isSymbolicLink(dest.resolve("top/link"))).isTrue();
        assertThat(Files.readAllBytes(dest.resolve("top/link"))).containsExactly(1, 2, 3);
        assertThat(Files.readString(dest.resolve("top/hard"))).isEqualTo("alpha");
        assertThat(dest.resolve("top/stale")).doesNotExist(); // the old top/ was replaced as a whole
        try (Stream<Path> list = Files.list(dest)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("top", "second.txt");
        }
    }

    @Test
    void readsRegularFilesWithoutWritingAndDigestsTheArchive() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("d/", null);
        entries.put("d/x", text("xx"));
        entries.put("d/y", text("yyy"));
        byte[] bytes = tarGz(entries);
        Path archive = archive(bytes);
        List<String> seen = new ArrayList<>();

        Checksums.FileDigests digests = TarGz.read(archive, (name, size, in) ->
                seen.add(name + "=" + size + ":" + new String(in.readAllBytes(), StandardCharsets.UTF_8)), FIX);

        assertThat(seen).containsExactly("d/x=2:xx", "d/y=3:yyy");
        assertThat(digests.md5()).isEqualTo(CifarFixtures.md5(bytes));
        assertThat(digests.bytes()).isEqualTo(bytes.length);
        assertThat(allFiles()).containsExactly("a.tar.gz");
    }

    @Test
    void anEntryEscapingWithDotDotIsRejectedAndNothingIsWritten() throws IOException {
        for (String evil : List.of("../evil", "ok/../../evil", "../../evil")) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("good.txt", text("fine"));
            entries.put(evil, text("pwned"));
            Path archive = archive(tarGz(entries));
            Path dest = destination();

            assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                    .isInstanceOf(LplException.class)
                    .hasMessage(archive + " is unsafe: entry '" + evil + "' points outside the extraction directory;"
                            + " nothing was extracted. Delete it and download it again");
            assertThat(allFiles()).as(evil).containsExactly("a.tar.gz", "inside", "inside/dest");
        }
    }

    @Test
    void anAbsoluteEntryIsRejected() throws IOException {
        Path outside = temp.resolve("abs-evil.txt");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("good.txt", text("fine"));
        entries.put(outside.toString(), text("pwned"));
        Path archive = archive(tarGz(entries));
        Path dest = destination();

        assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive + " is unsafe: entry '" + outside + "' has an absolute path");
        assertThat(outside).doesNotExist();
        assertThat(allFiles()).containsExactly("a.tar.gz", "inside", "inside/dest");
    }

    @Test
    void symbolicLinksPointingOutsideAreRejected() throws IOException {
        for (String target : List.of("../../outside", "/etc", "sub/../../..")) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("sub/", null);
            Path archive = archive(tarGz(entries, Map.of("sub/link", target), Map.of()));
            Path dest = destination();

            assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith(archive + " is unsafe: entry 'sub/link' is a symbolic link to '" + target
                            + "', outside the extraction directory");
            assertThat(allFiles()).as(target).containsExactly("a.tar.gz", "inside", "inside/dest");
        }
    }

    @Test
    void aHardLinkToAFileOutsideIsRejected() throws IOException {
        Files.writeString(temp.resolve("secret"), "secret");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("x", text("x"));
        Path archive = archive(tarGz(entries, Map.of(), Map.of("copy", "../../secret")));
        Path dest = destination();

        assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive + " is unsafe: entry 'copy' is a hard link to '../../secret'");
        assertThat(allFiles()).containsExactly("a.tar.gz", "inside", "inside/dest", "secret");
    }

    @Test
    void chainsOfLinksThatLeadOutsideAreRejected() throws IOException {
        // Every link points inside when read on its own; "m" = sub/deep/l/.. is the parent of the
        // extraction directory once "l" (= ../.., the extraction directory) is followed.
        byte[] throughLinks = tarGz(List.of(TarEntry.dir("sub/deep"), TarEntry.symlink("sub/deep/l", "../.."),
                TarEntry.symlink("m", "sub/deep/l/.."), TarEntry.file("m/evil", text("pwned"))));
        byte[] onlyLinks = tarGz(List.of(TarEntry.dir("sub/deep"), TarEntry.symlink("sub/deep/l", "../.."),
                TarEntry.symlink("m", "sub/deep/l/..")));
        byte[] dangling = tarGz(List.of(TarEntry.symlink("d", "nowhere")));
        for (byte[] bytes : List.of(throughLinks, onlyLinks, dangling)) {
            Path archive = archive(bytes);
            Path dest = destination();

            assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith(archive + " is unsafe: entry '")
                    .hasMessageContaining("nothing was extracted");
            assertThat(allFiles()).containsExactly("a.tar.gz", "inside", "inside/dest");
        }
    }

    @Test
    void aLinkToTheArchivesOwnFileIsKept() throws IOException {
        Path archive = archive(tarGz(List.of(TarEntry.dir("dir"), TarEntry.file("dir/f", text("f")),
                TarEntry.symlink("dir/up", ".."), TarEntry.symlink("dir/g", "up/dir/f"))));
        Path dest = destination();

        TarGz.extract(archive, dest, FIX);

        assertThat(Files.readSymbolicLink(dest.resolve("dir/up"))).isEqualTo(Path.of(".."));
        assertThat(Files.readString(dest.resolve("dir/g"))).isEqualTo("f");
    }

    @Test
    void aTruncatedArchiveIsNamedAndLeavesNothingBehind() throws IOException {
        byte[] whole = CifarFixtures.archive(dev.lpl.data.cifar.CifarVariant.CIFAR10, 5, 2);
        Path archive = archive(Arrays.copyOf(whole, whole.length / 2));
        Path dest = destination();

        assertThatThrownBy(() -> TarGz.extract(archive, dest, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive.toString())
                .hasMessageContaining("truncated")
                .hasMessageEndingWith(FIX);
        assertThat(allFiles()).containsExactly("a.tar.gz", "inside", "inside/dest");
    }

    @Test
    void aFileThatIsNotGzipIsNamed() throws IOException {
        Path archive = archive(text("<html>404 Not Found</html>"));

        assertThatThrownBy(() -> TarGz.extract(archive, destination(), FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive + " is not a valid gzip file (Not in GZIP format)");
        assertThatThrownBy(() -> TarGz.read(temp.resolve("absent.tar.gz"), (n, s, in) -> { }, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(temp.resolve("absent.tar.gz") + " does not exist; " + FIX);
    }

    @Test
    void deleteRecursivelyDoesNotFollowLinks() throws IOException {
        Path keep = Files.writeString(temp.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(temp.resolve("tree/sub"));
        Files.createSymbolicLink(tree.resolve("link"), temp);
        Files.writeString(tree.resolve("f"), "f");

        TarGz.deleteRecursively(temp.resolve("tree"));

        assertThat(temp.resolve("tree")).doesNotExist();
        assertThat(keep).exists();
        assertThat(Files.exists(temp, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
