package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads what {@code ip} and {@code ovs-vsctl} print, to check that a tool did build (or remove)
 * the network it was timed for: a run that skipped work must fail, not look fast. Pure.
 */
final class NetworkCheck {

    private NetworkCheck() {
    }

    /** The names {@code ip netns list} prints, one a line, each maybe followed by {@code (id: N)}. */
    static List<String> namespaces(String ipNetnsList) {
        List<String> names = new ArrayList<>();
        ipNetnsList.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> names.add(l.split("\\s+", 2)[0]));
        return names;
    }

    /** The link names {@code ip -o link show} prints: {@code 7: NAME@PEER: <...>}, without the peer. */
    static List<String> links(String ipOneLineLinks) {
        List<String> names = new ArrayList<>();
        for (String line : ipOneLineLinks.lines().toList()) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                int at = fields[1].indexOf('@');
                names.add(at < 0 ? fields[1].strip() : fields[1].substring(0, at));
            }
        }
        return names;
    }

    /**
     * Interface names and OpenFlow port numbers from
     * {@code ovs-vsctl --format=csv --no-headings --columns=name,ofport list interface}; a port
     * number that is not set ({@code []}) or failed ({@code -1}) is given as 0 or below.
     */
    static Map<String, Integer> interfaces(String csv) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String line : csv.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("not name,ofport: " + line);
            }
            String name = unquote(line.substring(0, comma));
            String ofport = line.substring(comma + 1).strip();
            out.put(name, ofport.matches("-?\\d+") ? Integer.parseInt(ofport) : 0);
        }
        return out;
    }

    private static String unquote(String text) {
        String s = text.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * Empty if exactly {@code expected} of {@code interfaces} match {@code ours} and each of those
     * has an OpenFlow port number (so {@code ovs-vswitchd} did set it up); else what is wrong.
     */
    static String interfaceProblem(Map<String, Integer> interfaces, Predicate<String> ours, int expected) {
        List<String> mine = interfaces.keySet().stream().filter(ours).toList();
        List<String> unapplied = mine.stream().filter(name -> interfaces.get(name) < 1).toList();
        if (mine.size() == expected && unapplied.isEmpty()) {
            return "";
        }
        return "expected " + expected + " OVS interfaces, each with an OpenFlow port number, found " + mine.size()
                + (unapplied.isEmpty() ? "" : ", " + unapplied.size() + " without one, e.g. "
                + unapplied.subList(0, Math.min(5, unapplied.size())));
    }
}
