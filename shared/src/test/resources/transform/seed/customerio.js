function handler(webhook) {
  /**
   * Example payload is:
   * {
   *   user: {
   *     id: "user123",
   *     email: "john@example.com",
   *     name: "John Doe"
   *   },
   *   event: "subscription_created",
   *   properties: {
   *     plan: "premium",
   *     price: 99.99
   *   }
   * }
   *
   * See https://docs.customer.io/integrations/api/track/
   */
  webhook.url = "https://track.customer.io/api/v2/entity";
  webhook.payload = {
    type: "person",
    identifiers: {
      id: webhook.payload.user.id
    },
    action: webhook.payload.event,
    name: webhook.payload.event,
    attributes: {
      ...webhook.payload.properties,
      email: webhook.payload.user.email,
      name: webhook.payload.user.name
    }
  };

  return webhook;
}
