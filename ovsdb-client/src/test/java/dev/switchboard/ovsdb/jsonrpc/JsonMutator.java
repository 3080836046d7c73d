package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutates OVSDB JSON-RPC messages the ways a broken or hostile peer would: in the structure
 * (a value replaced by one of another type, keys dropped or renamed, deep nesting, huge
 * numbers, long and odd Unicode strings, wrong OVSDB encodings such as {@code ["set", 5]}) and
 * in the text (truncated, bytes inserted, invalid UTF-8, deep brackets, huge number literals,
 * two messages run together). Pure functions of a {@link Random}, so a seed replays a case.
 */
public final class JsonMutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes nesting deeper than Jackson's default limit of 1000, which the peer under test must refuse. */
    private static final ObjectMapper DEEP_WRITER = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build()).build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] ODD_STRINGS = {"", "\u0000", "\u202e\u0644\u0627", "☃\uD83D\uDE00", "\n2026-12-04 ERROR forged",
        "uuid", "set", "map", "named-uuid", "sb-monitor-1", "echo", "update2", "insert", "initial", "modify", "delete",
        "new", "old", "not-a-uuid", "4f0ae8b4-2d3b-4c6e-9d6a-0b1f2a3c4d5e", "%s%n", "\\", "\"", "Bridge", "Port"};
    private static final String[] ODD_LITERALS = {"1e999999", "-1e-999999", "123456789012345678901234567890", "-0", "0.0e0",
        "9223372036854775808", "-9223372036854775809", "1".repeat(2000), "NaN", "Infinity", "true", "null", "\"\\ud800\"",
        "\"\\u0000\"", "[]", "{}", "\"\\x\"", "01", ".5", "1.", "+1"};

    private JsonMutator() {
    }

    /** One to three mutations of {@code message}: structural ones mostly, textual ones too. */
    public static byte[] mutate(String message, List<String> corpus, Random random) {
        JsonNode tree;
        try {
            tree = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a seed is not JSON: " + message, e);
        }
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            tree = mutateTree(tree, random);
        }
        byte[] text;
        try {
            text = DEEP_WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (random.nextInt(3) == 0) {
            text = mutateText(text, corpus, random);
        }
        return text;
    }

    private static JsonNode mutateTree(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return oddValue(random);
        }
        ContainerNode<?> parent = (ContainerNode<?>) containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode object && object.size() > 0) {
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            String key = keys.get(random.nextInt(keys.size()));
            switch (random.nextInt(6)) {
                case 0 -> object.remove(key);
                case 1 -> object.set(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)], object.remove(key));
                case 2 -> object.set(key, wrapDeep(object.get(key), random));
                case 3 -> object.set(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)], oddValue(random));
                default -> object.set(key, oddValue(random));
            }
        } else if (parent instanceof ArrayNode array && array.size() > 0) {
            int at = random.nextInt(array.size());
            switch (random.nextInt(5)) {
                case 0 -> array.remove(at);
                case 1 -> array.add(array.get(at).deepCopy());
                case 2 -> array.set(at, wrapDeep(array.get(at), random));
                case 3 -> array.insert(at, oddValue(random));
                default -> array.set(at, oddValue(random));
            }
        } else if (parent instanceof ArrayNode array) {
            array.add(oddValue(random));
        } else {
            ((ObjectNode) parent).set(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)], oddValue(random));
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    private static JsonNode wrapDeep(JsonNode node, Random random) {
        int depth = random.nextInt(4) == 0 ? 200 + random.nextInt(1200) : 1 + random.nextInt(8);
        JsonNode wrapped = node;
        for (int i = 0; i < depth; i++) {
            wrapped = random.nextBoolean() ? NODES.arrayNode().add(wrapped) : NODES.objectNode().set("a", wrapped);
        }
        return wrapped;
    }

    private static JsonNode oddValue(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextInt(5000) - 1);
            case 4 -> NODES.numberNode(BigInteger.TEN.pow(random.nextInt(600)).negate());
            case 5 -> NODES.numberNode(new BigDecimal("1e" + (random.nextInt(700) - 350)));
            case 6 -> NODES.numberNode(random.nextBoolean() ? Double.MAX_VALUE : Double.MIN_VALUE);
            case 7 -> NODES.textNode(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
            case 8 -> NODES.textNode("x".repeat(random.nextInt(random.nextInt(4) == 0 ? 20_000 : 40)));
            case 9 -> NODES.arrayNode();
            case 10 -> NODES.objectNode();
            case 11 -> NODES.arrayNode().add(pick(random, "set", "map", "uuid", "named-uuid")).add(oddValue(random));
            case 12 -> NODES.arrayNode().add("map").add(NODES.arrayNode().add(NODES.arrayNode().add(oddValue(random))));
            default -> NODES.arrayNode().add("uuid").add(pick(random, "x", "", JsonFuzzCorpus.BRIDGE.toUpperCase(),
                    JsonFuzzCorpus.BRIDGE.substring(1), "00000000-0000-0000-0000-000000000000"));
        };
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] mutateText(byte[] b, List<String> corpus, Random random) {
        if (b.length == 0) {
            return b;
        }
        int at = random.nextInt(b.length + 1);
        return switch (random.nextInt(8)) {
            case 0 -> Arrays.copyOf(b, at);
            case 1 -> splice(b, at, new byte[] {(byte) random.nextInt(256)}, at);
            case 2 -> splice(b, at, new byte[] {(byte) 0xff, (byte) 0xc0, (byte) 0x80, (byte) 0xed, (byte) 0xa0, (byte) 0x80}, at);
            case 3 -> splice(b, at, (("[".repeat(3000)) + ("]".repeat(random.nextInt(3001)))).getBytes(StandardCharsets.US_ASCII), at);
            case 4 -> splice(b, at, ODD_LITERALS[random.nextInt(ODD_LITERALS.length)].getBytes(StandardCharsets.UTF_8), at);
            case 5 -> splice(b, at, corpus.get(random.nextInt(corpus.size())).getBytes(StandardCharsets.UTF_8), at);
            case 6 -> {
                int to = at + random.nextInt(b.length - at + 1);
                yield splice(b, at, new byte[0], to);
            }
            default -> splice(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, 3, b, 3);
        };
    }

    /** {@code b[0..from) + inserted + b[to..)}. */
    private static byte[] splice(byte[] b, int from, byte[] inserted, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, from);
        out.writeBytes(inserted);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }

    public static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Cuts a byte stream into the pieces successive socket reads would deliver. */
    public static List<byte[]> chunks(byte[] stream, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int size = random.nextInt(3) == 0 ? stream.length - at : 1 + random.nextInt(stream.length - at);
            chunks.add(Arrays.copyOfRange(stream, at, at + size));
            at += size;
        }
        return chunks;
    }
}
