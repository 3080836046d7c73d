package dev.switchboard.controller.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutates OpenFlow frames the ways a broken or hostile switch would: bit flips, length fields
 * (the header's and nested ones) set to edge values, truncation, splicing two messages, random
 * version and type bytes, inserted, deleted and repeated ranges. Pure functions of a
 * {@link Random}, so a seed replays a case exactly.
 */
public final class FrameMutator {
    private static final int[] EDGE_16 = {0, 1, 4, 7, 8, 9, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff};
    private static final int[] EDGE_32 = {0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 0xfffffffe};
    private static final int[] VERSIONS = {0, 1, 2, 3, 4, 5, 6, 7, 0x7f, 0x80, 0xff};

    private FrameMutator() {
    }

    /** One to four mutations of {@code seed}; half the time the header's length is then made true again. */
    public static byte[] mutate(byte[] seed, List<byte[]> corpus, Random random) {
        byte[] bytes = seed.clone();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes, corpus, random);
        }
        if (bytes.length >= 4 && bytes.length <= 0xffff && random.nextBoolean()) {
            // a consistent outer length gets the body past the framing checks into openflowj
            bytes[2] = (byte) (bytes.length >>> 8);
            bytes[3] = (byte) bytes.length;
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] b, List<byte[]> corpus, Random random) {
        if (b.length == 0) {
            return corpus.get(random.nextInt(corpus.size())).clone();
        }
        switch (random.nextInt(11)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> put16(b, 2, edge16(b, random));
            case 3 -> put16(b, random.nextInt(b.length) & ~1, edge16(b, random)); // nested lengths are 16-bit, aligned
            case 4 -> put32(b, random.nextInt(b.length) & ~3, EDGE_32[random.nextInt(EDGE_32.length)]);
            case 5 -> {
                return Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            case 6 -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(b.length + 1);
                int from = random.nextInt(other.length + 1);
                return concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(other, from, other.length));
            }
            case 7 -> b[0] = (byte) VERSIONS[random.nextInt(VERSIONS.length)];
            case 8 -> {
                if (b.length > 1) {
                    b[1] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : random.nextInt(36));
                }
            }
            case 9 -> {
                int at = random.nextInt(b.length + 1);
                byte[] inserted = new byte[1 + random.nextInt(random.nextInt(8) == 0 ? 2048 : 16)];
                if (random.nextBoolean()) {
                    random.nextBytes(inserted);
                }
                return concat(Arrays.copyOf(b, at), inserted, Arrays.copyOfRange(b, at, b.length));
            }
            default -> {
                int from = random.nextInt(b.length);
                int to = from + random.nextInt(b.length - from + 1);
                return random.nextBoolean()
                        ? concat(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, b.length))
                        : concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, from, b.length));
            }
        }
        return b;
    }

    private static int edge16(byte[] b, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Math.max(0, b.length - 1 - random.nextInt(8));
            case 1 -> b.length + 1 + random.nextInt(8);
            default -> EDGE_16[random.nextInt(EDGE_16.length)];
        };
    }

    private static void put16(byte[] b, int at, int value) {
        if (at + 1 < b.length) {
            b[at] = (byte) (value >>> 8);
            b[at + 1] = (byte) value;
        }
    }

    private static void put32(byte[] b, int at, int value) {
        if (at + 3 < b.length) {
            b[at] = (byte) (value >>> 24);
            b[at + 1] = (byte) (value >>> 16);
            b[at + 2] = (byte) (value >>> 8);
            b[at + 3] = (byte) value;
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Cuts a byte stream into the pieces successive socket reads would deliver. */
    public static List<byte[]> chunks(byte[] stream, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int size = random.nextInt(3) == 0 ? stream.length - at : 1 + random.nextInt(Math.max(1, stream.length - at));
            chunks.add(Arrays.copyOfRange(stream, at, at + size));
            at += size;
        }
        return chunks;
    }
}
