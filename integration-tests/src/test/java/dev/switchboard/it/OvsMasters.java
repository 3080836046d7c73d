package dev.switchboard.it;

import dev.switchboard.ovs.runtime.PrivateOvs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Mastership by OVS's word: the role column of its Controller table, keyed by target. */
final class OvsMasters {
    private OvsMasters() {
    }

    /**
     * target -> role of {@code bridge}'s controllers that are connected now, as ovs-vswitchd reports them in its
     * Controller table (a controller that went keeps the role it had last, so it is left out).
     */
    static Map<String, String> roles(PrivateOvs ovs, String bridge) {
        Map<String, String> out = new HashMap<>();
        String uuids = ovs.vsctl("get", "bridge", bridge, "controller").replaceAll("[\\[\\]\\s]", "");
        if (uuids.isEmpty()) {
            return out;
        }
        List<String> list = new ArrayList<>(List.of("--format=csv", "--data=bare", "--no-headings",
                "--columns=target,role,is_connected", "list", "controller"));
        list.addAll(List.of(uuids.split(",")));
        for (String line : ovs.vsctl(list.toArray(String[]::new)).split("\n")) {
            String[] cells = line.split(",");
            if (cells.length == 3 && cells[2].trim().equals("true")) {
                out.put(cells[0].replace("\"", "").trim(), cells[1].replace("\"", "").trim());
            }
        }
        return out;
    }

    /** The one of {@code candidates} OVS shows as master of {@code bridge} while every other is slave, else null. */
    static <T> T soleMaster(PrivateOvs ovs, String bridge, List<T> candidates, ToIntFunction<T> openflowPort) {
        return soleMaster(ovs, roles(ovs, bridge), candidates, openflowPort);
    }

    /**
     * The one of {@code candidates} whose controller target {@code roles} shows as master while every other is
     * slave; null when none is, several are, or one has another role (or none).
     */
    static <T> T soleMaster(PrivateOvs ovs, Map<String, String> roles, List<T> candidates, ToIntFunction<T> openflowPort) {
        T master = null;
        for (T candidate : candidates) {
            String role = roles.get(ovs.controllerTarget(openflowPort.applyAsInt(candidate)));
            if ("master".equals(role)) {
                if (master != null) {
                    return null;
                }
                master = candidate;
            } else if (!"slave".equals(role)) {
                return null;
            }
        }
        return master;
    }
}
