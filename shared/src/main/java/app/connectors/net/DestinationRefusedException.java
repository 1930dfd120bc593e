package app.connectors.net;

/** The destination resolves to an address the service never connects to (private, loopback, metadata, …). */
public final class DestinationRefusedException extends Exception {

    public DestinationRefusedException(String message) {
        super(message, null, false, false);
    }
}
