package app.connectors.filter;

/**
 * Where and why a pattern first failed on an event; only built when an explanation was asked for,
 * so the matching path of the dispatcher allocates none.
 */
final class Trace {

    private String path;
    private String reason;

    void fail(String path, String reason) {
        if (this.path == null) {
            this.path = path;
            this.reason = reason;
        }
    }

    /** Takes over a sub-trace's failure (the first array element, the first {@code $or} alternative). */
    void adopt(Trace other) {
        if (other != null && other.path != null) {
            fail(other.path, other.reason);
        }
    }

    String path() {
        return path;
    }

    String reason() {
        return reason;
    }
}
