package app.connectors.event;

/**
 * A key a connector may filter on: {@code categories} matches {@code attributes.category}.
 *
 * @param fromSubject true when the value is read from {@code subject} instead of {@code attributes}
 */
public record FilterKey(String name, String attribute, boolean fromSubject, String description) {

    /** The value of this key's attribute in {@code event}, or null. */
    public String valueIn(Event event) {
        if (fromSubject) {
            return "status".equals(attribute) ? event.subject().status() : null;
        }
        return event.attribute(attribute);
    }
}
