package dev.switchboard.lab.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.lab.yaml.YamlTree.Mapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed-YAML toolkit on its own, with a document that is no lab. */
class TypedYamlTest {

    private static Mapping doc(String yaml, TypedYaml reader) throws YamlException {
        Mapping root = (Mapping) YamlTree.parse(yaml).root();
        return reader.record(root, "");
    }

    @Test
    void collectsEveryProblemWithItsKeyPathAndLineInFileOrder() throws YamlException {
        TypedYaml reader = new TypedYaml(List.of(), Map.of("colour", "color"));
        Mapping root = doc("""
                size: big
                colour: red
                nested:
                  on: maybe
                  count: 3
                """, reader);
        reader.keys(root, "", List.of("size", "color", "nested"));
        Mapping nested = reader.optionalMapping(root, "nested", "").orElseThrow();
        assertThat(reader.bool(nested, "on", "nested")).isEmpty();
        assertThat(reader.integer(nested, "count", "nested")).hasValue(3);
        assertThat(reader.integer(root, "size", "")).isEmpty();
        assertThat(reader.parsed(root, "size", "", text -> {
            throw new IllegalArgumentException("'" + text + "' is no size");
        })).isEmpty();

        assertThat(reader.issues()).extracting(issue -> issue.format("f.yaml")).containsExactly(
                "f.yaml:1: size: expected a whole number, found text (big)",
                "f.yaml:1: size: 'big' is no size",
                "f.yaml:2: colour: unknown key (did you mean color?); expected one of size, color, nested",
                "f.yaml:4: nested.on: expected true or false, found text (maybe)");
    }

    @Test
    void suggestsAKeyWithinTwoEditsAndNothingFarther() throws YamlException {
        TypedYaml reader = new TypedYaml(List.of(), Map.of());
        Mapping root = doc("protocls: x\nwhatever: y\n", reader);
        reader.keys(root, "", List.of("kind", "protocols"));
        assertThat(reader.issues()).extracting(YamlIssue::message).containsExactly(
                "unknown key (did you mean protocols?); expected one of kind, protocols",
                "unknown key; expected one of kind, protocols");
    }

    @Test
    void aLaterProblemGetsTheLineOfItsNearestKnownKeyAndParseIssuesSilenceTheirPath() throws YamlException {
        TypedYaml reader = new TypedYaml(List.of(new YamlIssue("b", 2, "YAML aliases are not supported")), Map.of());
        Mapping root = doc("a:\n  x: 1\nb: 2\n", reader);
        reader.optionalMapping(root, "a", "");
        assertThat(reader.lineOf("a.x.deeper[3]")).hasValue(2);
        assertThat(reader.lineOf("elsewhere")).isEmpty();
        reader.problem("b", "would be noise");
        assertThat(reader.issues()).extracting(YamlIssue::message).containsExactly("YAML aliases are not supported");
    }
}
