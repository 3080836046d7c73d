package dev.switchboard.lab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads lab specs from YAML.
 */
public final class LabSpecs {

    /** Largest lab file read. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private LabSpecs() {
    }

    /**
     * Loads a lab from a YAML file. The format, with every key and its default:
     *
     * <pre>{@code
     * name: seed                  # required: [a-z][a-z0-9]{0,5}; prefixes every object (see LabNames)
     * hosts:                      # host name -> settings; {} or nothing for the defaults
     *   net0:
     *     gateway: 10.0.8.254     # default route; IPv4 or IPv6, inside one of the host's subnets
     *     routes:                 # more static routes, in order; to: default means 0.0.0.0/0 or ::/0
     *       - {to: 10.9.0.0/16, via: 10.0.8.253}
     *   net1: {}
     * switches:                   # switch name -> settings
     *   br0: {kind: linux-bridge, stp: false}
     *   s1:
     *     kind: ovs               # ovs (default) | linux-bridge
     *     protocols: [OpenFlow13] # ovs: OpenFlow10..OpenFlow15; default [OpenFlow13]
     *     controller: "tcp:127.0.0.1:6653"  # ovs: tcp:IP[:PORT] (IPv6 in brackets); none: standalone learning
     *     failMode: secure        # ovs: secure | standalone; default secure with a controller, else standalone
     *     datapathId: "0000000000000001"    # ovs: quoted hex, 1..16 digits; default: OVS chooses
     *     stp: false              # both kinds; default false. ovs runs RSTP, linux-bridge the kernel's STP
     * links:                      # in order; the order numbers ports as Mininet does (see Port)
     *   - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24]}}
     *   - a: {node: net1, interface: eth0, addresses: [10.0.8.2/24]}
     *     b: {node: s1, port: 7}
     *     kind: veth              # veth (default) | patch (OVS patch ports, between two ovs switches)
     *     mtu: 9000               # 68..65535; default the kernel's (1500)
     *     rate: 10mbit            # tc units bit, kbit, mbit, gbit, tbit, kibit…; a bare number is Mbit/s
     *     delay: 2ms              # s, ms, us (unit required)
     *     loss: 1                 # percent, 0..100 (1 or "1%")
     *     queue: 100              # packets
     * taps:                       # tap name -> settings: persistent TAP/TUN devices <lab>-<tap> (see Tap)
     *   tap0:
     *     bridge: br0             # the switch it is a port of (linux-bridge or ovs); default: none
     *     mode: tap               # tap (Ethernet, default) | tun (IP packets; cannot be a switch port)
     *     owner: 1000             # uid that may attach without privileges; default: root only
     *     group: 1000             # gid that may attach
     * }</pre>
     *
     * <p>A link end is a node name ({@code a: net0}) or a mapping: {@code node}, and for a
     * host {@code interface} (its name in the namespace; default {@code eth<N>}, N counting
     * the host's links from 0) and {@code addresses} (a list of ADDRESS/LENGTH), for a switch
     * {@code port} (the port number; default the next, counting from 1). A host end's
     * addresses may instead be given on the link, keyed by node name ({@code addresses:
     * {net0: [10.0.8.1/24]}}), but not both. Shaping applies to each direction (Mininet's
     * TCLink), veth links only.
     *
     * <p>Unknown keys, wrong types, missing required keys, duplicate keys, YAML aliases and
     * several documents in one file are errors; so is anything {@link LabSpec} refuses. Each
     * problem reads {@code FILE:LINE: KEY.PATH: message}, in file order. Every problem of the
     * file's keys and values is reported at once; the checks of the lab as a whole (names,
     * references, addresses) run once those are right, and also report all they find.
     *
     * @throws IOException      if the file cannot be read, or is larger than {@value #MAX_FILE_BYTES} bytes
     * @throws LabSpecException listing every problem in the file
     */
    public static LabSpec load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + " is " + size + " bytes; a lab file may have at most " + MAX_FILE_BYTES);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LabSpecException(file.toString(), List.of(new Problem("", "the file is not UTF-8 text")));
        }
        return parse(text, file.toString());
    }

    /**
     * Parses a lab from YAML text, in the format of {@link #load}.
     *
     * @throws LabSpecException listing every problem
     */
    public static LabSpec parse(String yaml) {
        return parse(yaml, "<yaml>");
    }

    /**
     * Parses a lab from YAML text, in the format of {@link #load}.
     *
     * @param source names the text in problems, e.g. a file name or URL
     * @throws LabSpecException listing every problem
     */
    public static LabSpec parse(String yaml, String source) {
        List<Problem> problems = new ArrayList<>();
        YamlTree.Value root;
        try {
            root = YamlTree.parse(yaml, problems);
        } catch (JsonProcessingException e) {
            throw new LabSpecException(source, List.of(syntaxProblem(e)));
        } catch (IOException e) {
            throw new LabSpecException(source, List.of(new Problem("", "cannot read: " + e.getMessage())));
        }
        return SpecReader.read(source, root, problems);
    }

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * One line out of SnakeYAML's multi-line report ("while parsing…", a snippet, a caret,
     * "expected…"), at the line of its last mark: where the parser gave up.
     */
    private static Problem syntaxProblem(JsonProcessingException e) {
        List<String> parts = new ArrayList<>();
        int line = e.getLocation() != null ? e.getLocation().getLineNr() : -1;
        String column = null;
        for (String text : e.getOriginalMessage().split("\n")) {
            Matcher mark = MARK.matcher(text);
            if (text.strip().startsWith("in '") && mark.find()) {
                line = Integer.parseInt(mark.group(1));
                column = mark.group(2);
            } else if (!text.isBlank() && !text.startsWith("    ") && !text.strip().equals("^")) {
                parts.add(text.strip());
            }
        }
        Problem problem = new Problem("", "not valid YAML: " + String.join("; ", parts)
                + (column == null ? "" : " (column " + column + ")"));
        return line > 0 ? problem.atLine(line) : problem;
    }
}
