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
   * See https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#track
   */
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    userId: webhook.payload.user.id,
    event: webhook.payload.event,
    properties: {
      ...webhook.payload.properties,
      email: webhook.payload.user.email,
      name: webhook.payload.user.name
    },
    timestamp: new Date().toISOString()
  };

  return webhook;
}
