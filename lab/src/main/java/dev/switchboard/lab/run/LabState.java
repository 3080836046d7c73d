package dev.switchboard.lab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a lab made, written down <em>before</em> each object is created (an intent log), so
 * that {@code lab down} removes exactly what the lab made even when {@code lab up} was killed
 * half way. One JSON file per lab, replaced atomically and synced at every change.
 */
public final class LabState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The kinds of objects a lab makes (OVS ports go with their bridges and are not recorded). */
    public enum Kind { VETH, NAMESPACE, OVS_BRIDGE, LINUX_BRIDGE, TAP }

    public record Entry(Kind kind, String name) {
    }

    /**
     * The file's contents.
     *
     * @param source     what the lab was made from: {@code topo:NAME} or the spec's YAML text
     * @param controller the controller the lab's OVS switches were pointed at, or null
     * @param ovsDb      the OVSDB the lab's OVS bridges live in, or null when it has none
     * @param privateOvs whether that is Switchboard's private OVS (stopped when no lab needs it)
     */
    public record Contents(String lab, String source, String controller, String ovsDb, boolean privateOvs,
            List<Entry> objects) {
        public Contents {
            objects = List.copyOf(objects);
        }
    }

    private final Path file;
    private Contents contents;

    private LabState(Path file, Contents contents) {
        this.file = file;
        this.contents = contents;
    }

    /** The state directory: one file per lab. */
    public static Path directory() {
        return Path.of(System.getProperty("switchboard.labs", "/var/lib/switchboard/labs"));
    }

    public static Path fileOf(String lab) {
        return directory().resolve(lab + ".json");
    }

    public static Optional<LabState> read(String lab) {
        Path file = fileOf(lab);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LabState(file, JSON.readValue(file.toFile(), Contents.class)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of lab " + lab + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /** The labs that have a state file. */
    public static List<String> labs() {
        if (!Files.isDirectory(directory())) {
            return List.of();
        }
        try (var files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LabState create(String lab, String source, String controller, String ovsDb, boolean privateOvs) {
        LabState state = new LabState(fileOf(lab), new Contents(lab, source, controller, ovsDb, privateOvs, List.of()));
        state.write();
        return state;
    }

    public Contents contents() {
        return contents;
    }

    public boolean records(Kind kind, String name) {
        return contents.objects().contains(new Entry(kind, name));
    }

    /** Records an object about to be made; durable before this returns. */
    public void intend(Kind kind, String name) {
        intendAll(List.of(new Entry(kind, name)));
    }

    /** Records objects about to be made, with one write; durable before this returns. */
    public void intendAll(Collection<Entry> entries) {
        List<Entry> objects = new ArrayList<>(contents.objects());
        boolean changed = false;
        for (Entry entry : entries) {
            if (!objects.contains(entry)) {
                objects.add(entry);
                changed = true;
            }
        }
        if (changed) {
            contents = new Contents(contents.lab(), contents.source(), contents.controller(), contents.ovsDb(),
                    contents.privateOvs(), objects);
            write();
        }
    }

    /**
     * Records what the lab is now made from and where its OVS switches go, keeping the objects
     * recorded so far (an {@code up} of a changed spec adds to them); durable before this returns.
     */
    public void describe(String source, String controller, String ovsDb, boolean privateOvs) {
        Contents next = new Contents(contents.lab(), source, controller, ovsDb, privateOvs, contents.objects());
        if (!next.equals(contents)) {
            contents = next;
            write();
        }
    }

    public void forget(Kind kind, String name) {
        List<Entry> objects = new ArrayList<>(contents.objects());
        if (objects.remove(new Entry(kind, name))) {
            contents = new Contents(contents.lab(), contents.source(), contents.controller(), contents.ovsDb(),
                    contents.privateOvs(), objects);
            write();
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, JSON.writeValueAsBytes(contents));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of lab " + contents.lab() + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }
}
