package dev.switchboard.lab.yaml;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one limit policy for the YAML Switchboard reads: lab specs and the server's config file.
 * Everything beyond it is refused before it is parsed, in milliseconds, with a message naming
 * the limit.
 *
 * <p>Why the text is checked before the parser sees it: SnakeYAML's reader copies its whole
 * look-ahead window each time it reads 1024 more characters, and it looks ahead to the end of
 * a token, so one long line costs quadratic time (measured here: a 1 MB scalar 4 s, a 16 MB
 * one 50 s and 1.2 GB, even with {@code codePointLimit}, which is only checked as the window
 * grows). Lines of at most {@value #MAX_LINE_CHARS} characters in a file of at most
 * {@value #MAX_FILE_BYTES} bytes keep a parse well under a second. SnakeYAML's and Jackson's
 * own limits (code points, nesting depth, aliases) are set as well, to the same policy.
 */
public final class YamlLimits {

    /** Largest file, or text, read. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    /** Longest line: a longer value is folded over lines, or written as a block scalar. */
    public static final int MAX_LINE_CHARS = 16 * 1024;

    /** Deepest nesting of mappings and sequences. */
    public static final int MAX_DEPTH = 64;

    /**
     * Aliases SnakeYAML would expand into collections. Jackson reads YAML as events and never
     * expands an alias (and {@link YamlTree} refuses them), so this guards only a reader that
     * composes nodes; it is set so that the policy holds whatever reads with {@link #factory()}.
     */
    static final int MAX_ALIASES = 50;

    private YamlLimits() {
    }

    /** A Jackson YAML factory with this policy's limits. */
    public static YAMLFactory factory() {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(MAX_FILE_BYTES);
        loader.setNestingDepthLimit(MAX_DEPTH);
        loader.setMaxAliasesForCollections(MAX_ALIASES);
        return YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_FILE_BYTES)
                        .maxDocumentLength(MAX_FILE_BYTES)
                        .build())
                .build();
    }

    /**
     * Reads a YAML file as UTF-8 text within the limits. A device or pipe is read only as far
     * as the limit.
     *
     * @throws YamlException the file is larger than {@value #MAX_FILE_BYTES} bytes, is not
     *                       UTF-8, or has a line longer than {@value #MAX_LINE_CHARS} characters
     * @throws IOException   it cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static String read(Path file) throws IOException, YamlException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw tooLarge(size + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge("more than " + MAX_FILE_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new YamlException(new YamlIssue("", 0, "the file is not UTF-8 text"));
        }
        check(text);
        return text;
    }

    /**
     * Refuses a text beyond the limits: longer than {@value #MAX_FILE_BYTES} characters or
     * with a line longer than {@value #MAX_LINE_CHARS}.
     */
    public static void check(CharSequence text) throws YamlException {
        if (text.length() > MAX_FILE_BYTES) {
            throw tooLarge(text.length() + " characters");
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c == '\n' || c == '\r') {
                if (i - start > MAX_LINE_CHARS) {
                    throw new YamlException(new YamlIssue("", line, "the line is " + (i - start)
                            + " characters long; a line may have at most " + MAX_LINE_CHARS
                            + " (fold a long value over several lines)"));
                }
                if (c == '\n' || i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                    line++;
                }
                start = i + 1;
            }
        }
    }

    private static YamlException tooLarge(String size) {
        return new YamlException(new YamlIssue("", 0, "the file is " + size + "; a YAML file may have at most "
                + MAX_FILE_BYTES + " bytes (1 MiB)"));
    }
}
