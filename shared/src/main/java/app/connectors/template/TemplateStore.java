package app.connectors.template;

import java.util.List;
import java.util.Optional;

/** Connector templates (few: an operator's catalog, read whole). */
public interface TemplateStore {

    void put(ConnectorTemplate template);

    Optional<ConnectorTemplate> find(String id);

    List<ConnectorTemplate> list();

    boolean delete(String id);
}
