package dev.switchboard.lab.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mininet's "natural" order of names ({@code mininet.util.natural}): text is split into
 * runs of digits and non-digits, digit runs compare as numbers, so {@code h2} sorts before
 * {@code h10}. Mininet sorts hosts this way before giving them addresses.
 */
public final class NaturalOrder implements Comparator<String> {

    /** The one instance. */
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String x, String y) {
        List<Object> a = key(x);
        List<Object> b = key(y);
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            // Python's re.split with a capturing group alternates text (even) and numbers (odd).
            int c = i % 2 == 0 ? ((String) a.get(i)).compareTo((String) b.get(i))
                    : ((BigInteger) a.get(i)).compareTo((BigInteger) b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static List<Object> key(String text) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        StringBuilder run = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                int j = i;
                while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                    j++;
                }
                out.add(run.toString());
                run.setLength(0);
                out.add(new BigInteger(text.substring(i, j)));
                i = j;
            } else {
                run.append(c);
                i++;
            }
        }
        out.add(run.toString());
        return out;
    }
}
