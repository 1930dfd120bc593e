package app.connectors.template;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.TransformationCheck;
import app.connectors.event.EventCatalog;
import app.connectors.problem.FieldError;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The operator's connector templates: defined (and replaced or removed) by the operator through a
 * directly invoked function, listed by users, and used to pre-fill a new connector.
 *
 * <pre>{@code
 * templates.put("invoice-alerts", "slack", "Invoice alerts", "Posts new invoices", List.of("invoice.created"), code);
 * }</pre>
 */
public final class TemplateService {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final TemplateStore store;
    private final ConnectorTypeCatalog types;
    private final EventCatalog events;
    private final TransformationCheck transformations;
    private final Clock clock;

    public TemplateService(TemplateStore store, ConnectorTypeCatalog types, EventCatalog events,
                           TransformationCheck transformations, Clock clock) {
        this.store = store;
        this.types = types;
        this.events = events;
        this.transformations = transformations;
        this.clock = clock;
    }

    public ConnectorTemplate put(String id, String type, String name, String description, List<String> eventTypes,
                                 String transformation) {
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(new FieldError("id", "id must be 1 to 63 lower-case letters, digits and dashes"));
        }
        if (type == null || types.find(type).isEmpty()) {
            errors.add(new FieldError("type", "type must be one of " + String.join(", ", types.names())));
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add(new FieldError("name", "name must be 1 to 100 characters"));
        }
        if (description == null || description.isBlank() || description.length() > 2000) {
            errors.add(new FieldError("description", "description must be 1 to 2000 characters"));
        }
        if (eventTypes == null || eventTypes.isEmpty()) {
            errors.add(new FieldError("eventTypes", "eventTypes must list the event types the template handles"));
        } else {
            for (String e : eventTypes) {
                if (!events.isSubscribable(e)) {
                    errors.add(new FieldError("eventTypes", "'" + e + "' is not an event type"));
                }
            }
        }
        if (transformation != null) {
            transformations.check(transformation).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("The template is invalid.", errors);
        }
        Instant now = clock.instant();
        Instant created = store.find(id).map(ConnectorTemplate::createdAt).orElse(now);
        ConnectorTemplate template = new ConnectorTemplate(id, type, name.strip(), description.strip(), eventTypes,
                transformation, created, now);
        store.put(template);
        return template;
    }

    public List<ConnectorTemplate> list() {
        return store.list();
    }

    /** True when {@code id} could name a template (anything else is not found, without a store call). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public ConnectorTemplate get(String id) {
        // An id no template can have (null, empty, over-long) is simply not found; DynamoDB would refuse it as a key.
        if (id == null || !ID.matcher(id).matches()) {
            throw new NotFoundException("No connector template '" + id + "'; GET /api/v1/connector-templates lists them.");
        }
        return store.find(id).orElseThrow(() -> new NotFoundException("No connector template '" + id
                + "'; GET /api/v1/connector-templates lists them."));
    }

    public void delete(String id) {
        if (id == null || !ID.matcher(id).matches() || !store.delete(id)) {
            throw new NotFoundException("No connector template '" + id + "'.");
        }
    }
}
