package dev.switchboard.hostnet;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of names and small values, done before anything is changed. */
final class Names {

    /** IFNAMSIZ is 16 including the terminating NUL. */
    static final int MAX_INTERFACE_NAME = 15;
    /** NAME_MAX of the file under /run/netns. */
    static final int MAX_NAMESPACE_NAME = 255;
    /** Accepted by iproute2's argument splitter without quoting; the kernel would allow more. */
    private static final String BATCH_UNSAFE = "\"'#\\";
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private Names() {
    }

    /**
     * Checks an interface name as the kernel's {@code dev_valid_name} does.
     *
     * @param what what the name is for, e.g. {@code "veth name"}, used in the message
     */
    static String checkInterfaceName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException(what + " is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_INTERFACE_NAME) {
            String size = bytes == name.length() ? bytes + " characters" : bytes + " bytes in UTF-8";
            throw new InvalidRequestException(
                    what + " '" + name + "' is " + size + "; the kernel allows " + MAX_INTERFACE_NAME);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidRequestException(what + " '" + name + "' is not allowed by the kernel");
        }
        checkCharacters(what, name, true);
        return name;
    }

    static String checkNamespaceName(String name) {
        String what = "namespace name";
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException(what + " is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAMESPACE_NAME) {
            throw new InvalidRequestException(
                    what + " '" + name + "' is " + bytes + " bytes; a file name allows " + MAX_NAMESPACE_NAME);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidRequestException(what + " '" + name + "' is not a usable file name");
        }
        checkCharacters(what, name, false);
        return name;
    }

    private static void checkCharacters(String what, String name, boolean colonForbidden) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                throw new InvalidRequestException(what + " '" + name + "' contains '/', which the kernel forbids");
            }
            if (colonForbidden && c == ':') {
                throw new InvalidRequestException(what + " '" + name + "' contains ':', which the kernel forbids");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new InvalidRequestException(what + " '" + name + "' contains whitespace or a control "
                        + "character, which the kernel forbids");
            }
            if (BATCH_UNSAFE.indexOf(c) >= 0) {
                throw new InvalidRequestException(
                        what + " '" + name + "' contains '" + c + "', which hostnet does not accept in names");
            }
        }
    }

    /** Checks and normalises a MAC address to lower case; it must be unicast and not all zeros. */
    static String checkMac(String what, String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new InvalidRequestException(what + " '" + mac + "' is not a MAC address like 02:00:00:00:00:01");
        }
        String lower = mac.toLowerCase(Locale.ROOT);
        int first = Integer.parseInt(lower.substring(0, 2), 16);
        if ((first & 1) != 0) {
            throw new InvalidRequestException(
                    what + " '" + mac + "' is a multicast address; an interface needs a unicast one");
        }
        if (lower.equals("00:00:00:00:00:00")) {
            throw new InvalidRequestException(what + " '" + mac + "' is all zeros");
        }
        return lower;
    }

    static int checkMtu(String what, int mtu, int min, int max) {
        if (mtu < min || mtu > max) {
            throw new InvalidRequestException(what + " " + mtu + " is outside " + min + ".." + max);
        }
        return mtu;
    }
}
