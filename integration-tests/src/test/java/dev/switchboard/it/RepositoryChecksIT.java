package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks of the repository's own files that need no VM and no network: every shell script passes
 * {@code shellcheck} (the launcher, bench/, vagrant/provision/…), and every Vagrantfile passes
 * {@code vagrant validate}. The labs' VMs cannot boot on the build machines; this is what can be
 * proved here. Both tools are Debian packages the launcher installs for {@code test}.
 */
class RepositoryChecksIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    /** Directories that hold no sources of ours: build output, Git's, Vagrant's state, labs' run files. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", ".vagrant", "node_modules");
    /** A first line that runs sh, bash, dash or ksh, directly or through env. */
    private static final Pattern SHELL_SHEBANG = Pattern.compile("^#!\\s*(/usr/bin/env\\s+)?(\\S*/)?(ba|da|k)?sh(\\s.*)?$");
    private static final long TOOL_LIMIT_SECONDS = 120;

    private record Run(int status, String output) {
    }

    @Test
    void everyShellScriptPassesShellcheck() throws Exception {
        List<Path> scripts = find(file -> file.getFileName().toString().endsWith(".sh") || hasShellShebang(file));
        assertThat(scripts).as("the scripts found").contains(ROOT.resolve("switchboard"),
                ROOT.resolve("vagrant/provision/install.sh"));

        List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources", "--format=gcc"));
        scripts.forEach(script -> command.add(ROOT.relativize(script).toString()));
        Run run = run(command, Map.of());

        assertThat(run.status()).as("shellcheck of %d scripts (fix each finding, or disable that one check inline with "
                + "a comment saying why):%n%s", scripts.size(), run.output()).isZero();
    }

    @Test
    void everyVagrantfileIsValid() throws Exception {
        List<Path> vagrantfiles = find(file -> file.getFileName().toString().equals("Vagrantfile"));
        assertThat(vagrantfiles).as("the Vagrantfiles found").contains(ROOT.resolve("vagrant/Vagrantfile"));

        Path state = Files.createTempDirectory("sb-vagrant-");
        try {
            for (Path vagrantfile : vagrantfiles) {
                // Offline and without touching the checkout or ~/.vagrant.d: no update checks, Vagrant's
                // state in a directory of this test; --ignore-provider, so that the check does not
                // depend on which provider plugins (VirtualBox, libvirt) this machine has.
                Map<String, String> environment = Map.of(
                        "VAGRANT_CWD", vagrantfile.getParent().toString(),
                        "VAGRANT_DOTFILE_PATH", state.resolve("dotfile").toString(),
                        "VAGRANT_HOME", state.resolve("home").toString(),
                        "VAGRANT_CHECKPOINT_DISABLE", "1",
                        "VAGRANT_BOX_UPDATE_CHECK_DISABLE", "1",
                        "VAGRANT_NO_COLOR", "1");
                Run run = run(List.of("vagrant", "validate", "--ignore-provider"), environment);
                assertThat(run.status()).as("vagrant validate of %s:%n%s", ROOT.relativize(vagrantfile), run.output())
                        .isZero();
                assertThat(run.output()).contains("validated successfully");
            }
        } finally {
            delete(state);
        }
    }

    private interface FileTest {
        boolean matches(Path file) throws IOException;
    }

    /** The regular files under the checkout that match, outside the skipped directories, sorted. */
    private static List<Path> find(FileTest test) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                boolean skipped = !dir.equals(ROOT) && (SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                        || dir.equals(ROOT.resolve("run")));
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && test.matches(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.naturalOrder());
        return found;
    }

    private static boolean hasShellShebang(Path file) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(256);
        }
        String text = new String(start, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\n');
        return SHELL_SHEBANG.matcher(end < 0 ? text : text.substring(0, end)).matches();
    }

    private static Run run(List<String> command, Map<String, String> environment) throws Exception {
        // Output to a file, not a pipe: a tool that hangs is stopped at the limit instead of blocking a read.
        Path output = Files.createTempFile("sb-check-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TOOL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command.get(0) + " did not finish in " + TOOL_LIMIT_SECONDS + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
