package dev.switchboard.it;

import dev.switchboard.ovs.runtime.PrivateOvs;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Mastership by OVS's word: the role column of its Controller table, keyed by target. */
final class OvsMasters {
    private OvsMasters() {
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
