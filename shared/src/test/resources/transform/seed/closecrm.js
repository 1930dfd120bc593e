function handler(webhook) {
  /**
   * Example payload is:
   * {
   *   user: {
   *     email: "john@example.com",
   *     name: "John Doe",
   *     phone: "+1234567890"
   *   }
   * }
   *
   * See https://developer.close.com/resources/contacts/
   */
  webhook.url = "https://api.close.com/api/v1/contact/";
  webhook.payload = {
    lead_id:"lead_QyNaWw4fdSwxl5Mc5daMFf3Y27PpIcH0awPbC9l7uyo",
    name: webhook.payload.user.name,
    emails: [webhook.payload.user.email],
    phones: [webhook.payload.user.phone]
  };

  return webhook;
}
