// The seed's one-liner, verbatim, wrapped in the handler it needs to run.
function handler(webhook) {
webhook.payload = { "text": `An invoice of $${webhook.payload.amount} has been created.` }
  return webhook;
}
