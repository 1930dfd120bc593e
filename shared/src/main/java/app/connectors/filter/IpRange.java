package app.connectors.filter;

/**
 * A {@code cidr} operand: an IPv4 or IPv6 network, written {@code address/prefix}. Addresses in events
 * are read strictly, as text and never through DNS: IPv4 as four decimal numbers 0–255 without
 * leading zeros, IPv6 in RFC 4291 text form (with {@code ::} and a trailing dotted IPv4 allowed, zone
 * ids not). An IPv4 network matches only IPv4 text, an IPv6 network only IPv6 text (so
 * {@code ::ffff:10.0.0.1} is matched by {@code ::ffff:0:0/96}, not by {@code 10.0.0.0/8}).
 *
 * <pre>{@code
 * IpRange.parse("10.0.0.0/24").contains("10.0.0.7");   // true
 * IpRange.parse("2001:db8::/32").contains("2001:db8::1"); // true
 * }</pre>
 */
final class IpRange {

    private final boolean v6;
    private final long networkHigh;
    private final long networkLow;
    private final long maskHigh;
    private final long maskLow;

    private IpRange(boolean v6, long high, long low, int prefix) {
        this.v6 = v6;
        int bits = v6 ? 128 : 32;
        long[] mask = mask(bits, prefix);
        this.maskHigh = mask[0];
        this.maskLow = mask[1];
        this.networkHigh = high & maskHigh;
        this.networkLow = low & maskLow;
    }

    /**
     * Reads an operand.
     *
     * @throws IllegalArgumentException with a sentence saying what to fix
     */
    static IpRange parse(String operand) {
        int slash = operand.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + operand + "' has no prefix length; write it as address/prefix, e.g. 10.0.0.0/24");
        }
        String address = operand.substring(0, slash);
        String prefixText = operand.substring(slash + 1);
        long[] parsed = new long[2];
        boolean v6 = address.indexOf(':') >= 0;
        if (!(v6 ? readV6(address, 0, address.length(), parsed) : readV4(address, 0, address.length(), parsed))) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address");
        }
        int bits = v6 ? 128 : 32;
        int prefix = -1;
        if (!prefixText.isEmpty() && prefixText.length() <= 3 && prefixText.chars().allMatch(c -> c >= '0' && c <= '9')
                && !(prefixText.length() > 1 && prefixText.charAt(0) == '0')) {
            prefix = Integer.parseInt(prefixText);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length '" + prefixText + "' must be a whole number from 0 to " + bits
                    + " for an IPv" + (v6 ? "6" : "4") + " network");
        }
        IpRange range = new IpRange(v6, parsed[0], parsed[1], prefix);
        if (parsed[0] != range.networkHigh || parsed[1] != range.networkLow) {
            throw new IllegalArgumentException("'" + operand + "' has bits set past its /" + prefix + " prefix; write the network address "
                    + range.networkText());
        }
        return range;
    }

    /** Whether {@code text} is an address of this range's family inside it. */
    boolean contains(String text) {
        long high;
        long low;
        if (v6) {
            if (text.indexOf(':') < 0) {
                return false;
            }
            long[] parsed = new long[2];
            if (!readV6(text, 0, text.length(), parsed)) {
                return false;
            }
            high = parsed[0];
            low = parsed[1];
        } else {
            low = v4(text, 0, text.length());
            if (low < 0) {
                return false;
            }
            high = 0;
        }
        return (high & maskHigh) == networkHigh && (low & maskLow) == networkLow;
    }

    private String networkText() {
        if (!v6) {
            return (networkLow >>> 24) + "." + ((networkLow >>> 16) & 255) + "." + ((networkLow >>> 8) & 255) + "." + (networkLow & 255)
                    + "/" + Long.bitCount(maskLow);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? networkHigh : networkLow;
            int shift = 48 - 16 * (i % 4);
            out.append(i == 0 ? "" : ":").append(Long.toHexString((word >>> shift) & 0xffff));
        }
        return out.append('/').append(Long.bitCount(maskHigh) + Long.bitCount(maskLow)).toString();
    }

    private static long[] mask(int bits, int prefix) {
        if (bits == 32) {
            return new long[] {0, prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL};
        }
        long high = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long low = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {high, low};
    }

    private static boolean readV4(String text, int from, int to, long[] out) {
        long value = v4(text, from, to);
        if (value < 0) {
            return false;
        }
        out[0] = 0;
        out[1] = value;
        return true;
    }

    /** Dotted-quad IPv4 in {@code text[from, to)} as an unsigned 32-bit value, or -1. */
    static long v4(String text, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int part = 0;
            while (i < to && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                part = part * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || part > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (parts < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    /** RFC 4291 IPv6 text in {@code text[from, to)} into {@code out} (high, low 64 bits); false when it is not one. */
    static boolean readV6(String text, int from, int to, long[] out) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = from;
        if (to - from < 2) {
            return false;
        }
        if (text.charAt(i) == ':') {
            if (text.charAt(i + 1) != ':') {
                return false;
            }
            gap = 0;
            i += 2;
        }
        while (i < to) {
            if (count == 8) {
                return false;
            }
            int start = i;
            int group = 0;
            while (i < to && i - start < 4 && hex(text.charAt(i)) >= 0) {
                group = (group << 4) | hex(text.charAt(i));
                i++;
            }
            if (i < to && text.charAt(i) == '.') {
                // A trailing dotted IPv4 fills the last two groups.
                if (count > 6) {
                    return false;
                }
                long v4 = v4(text, start, to);
                if (v4 < 0) {
                    return false;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                i = to;
                break;
            }
            if (i == start) {
                return false;
            }
            groups[count++] = group;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < to && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            } else if (i == to) {
                return false;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return false;
        }
        int[] full = new int[8];
        if (gap < 0) {
            System.arraycopy(groups, 0, full, 0, 8);
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | full[g];
            low = (low << 16) | full[g + 4];
        }
        out[0] = high;
        out[1] = low;
        return true;
    }

    /** ASCII hex digit value, or -1 (Character.digit would also accept other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
