package dev.switchboard.server;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mastership by OVS's word: for each bridge, the role OVS gives each controller it is connected to
 * (its Controller table's {@code role} and {@code is_connected}), read with {@code ovs-vsctl}.
 */
final class OvsControllerRoles {
    private static final Duration VSCTL = Duration.ofSeconds(10);

    private OvsControllerRoles() {
    }

    /** The controller targets of {@code bridges} OVS is connected to, with their roles; by bridge, in that order. */
    static Map<String, Map<String, String>> read(String db, List<String> bridges) {
        Map<String, String[]> controllers = new HashMap<>(); // uuid -> target, role, is_connected
        for (String[] row : list(db, "controller", "_uuid,target,role,is_connected")) {
            if (row.length == 4) {
                controllers.put(row[0], row);
            }
        }
        Map<String, List<String>> controllersOf = new HashMap<>();
        for (String[] row : list(db, "bridge", "name,controller")) {
            controllersOf.put(row[0], row.length < 2 || row[1].isBlank() ? List.of() : List.of(row[1].trim().split("\\s+")));
        }
        Map<String, Map<String, String>> roles = new LinkedHashMap<>();
        for (String bridge : bridges) {
            Map<String, String> byTarget = new LinkedHashMap<>();
            for (String uuid : controllersOf.getOrDefault(bridge, List.of())) {
                String[] controller = controllers.get(uuid);
                if (controller != null && controller[3].equals("true")) {
                    byTarget.put(controller[1], controller[2]);
                }
            }
            roles.put(bridge, byTarget);
        }
        return roles;
    }

    /** The bridge's first controller target, e.g. {@code tcp:169.254.0.1:6653}. */
    static String firstTarget(String db, String bridge) {
        String targets = vsctl(db, "get-controller", bridge).stdout().strip();
        if (targets.isEmpty()) {
            throw new UserFacingException("bridge " + bridge + " has no controller");
        }
        return targets.lines().findFirst().orElseThrow().strip();
    }

    static void setControllers(String db, String bridge, List<String> targets) {
        String[] command = new String[targets.size() + 2];
        command[0] = "set-controller";
        command[1] = bridge;
        for (int i = 0; i < targets.size(); i++) {
            command[i + 2] = targets.get(i);
        }
        ExecResult result = vsctl(db, command);
        if (!result.succeeded()) {
            throw new UserFacingException("ovs-vsctl set-controller " + bridge + " failed: " + result.stderr().strip());
        }
    }

    private static List<String[]> list(String db, String table, String columns) {
        String csv = vsctl(db, "--format=csv", "--data=bare", "--no-headings", "--columns=" + columns, "list", table).stdout();
        return csv.lines().filter(line -> !line.isBlank())
                .map(line -> line.replace("\"", "").split(",", -1)).map(cells -> {
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cells[i].trim();
                    }
                    return cells;
                }).toList();
    }

    private static ExecResult vsctl(String db, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("ovs-vsctl", "--db=" + db));
        command.addAll(List.of(arguments));
        return Commands.run(command, Map.of(), VSCTL);
    }
}
