// Generated from docs/openapi.yaml by portal/tools/generate-client.mjs (npm run generate). Do not edit.
export interface paths {
    "/api/v1/connectors/types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every connector type with its fields and setup steps */
        get: operations["listConnectorTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event catalog */
        get: operations["listEventTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's connectors in creation order (oldest first), a page at a time */
        get: operations["listConnectors"];
        put?: never;
        /**
         * Create a connector
         * @description With an Idempotency-Key header the create runs once per key: a retry with the same key and body gets the first answer again (with Idempotent-Replayed: true) instead of a second connector, for 24 hours; the same key with another body is 422, and a retry while the first still runs is 409. Keys are per user. A refused create (4xx) stores nothing, so the key can be used for the fixed body.
         */
        post: operations["createConnector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{uuid}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        /** Read one of the caller's connectors (secrets masked) */
        get: operations["getConnector"];
        /** Replace a connector (optional version for optimistic locking) */
        put: operations["replaceConnector"];
        post?: never;
        /** Delete a connector */
        delete: operations["deleteConnector"];
        options?: never;
        head?: never;
        /** Update part of a connector; config keys merge, null removes an optional key */
        patch: operations["updateConnector"];
        trace?: never;
    };
    "/api/v1/connectors/{uuid}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        /** The connector's delivery log, newest event first */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{uuid}/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
                id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed, cancelled or dead delivery again (a new series of attempts) */
        post: operations["retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{uuid}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a sample event now through the real path and report the destination's answer */
        post: operations["testConnector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{uuid}/signing-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a generic connector's signing secret; the old one keeps signing for 24 hours */
        post: operations["rotateSigningSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transformations/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry run of transformation code in the sandbox (no storage, no network) */
        post: operations["testTransformation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/filters/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Whether a content filter lets an event through, and if not the first path that failed and why (stores and sends nothing) */
        post: operations["testFilter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connector-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator's connector templates (create from one with POST /connectors and `template`) */
        get: operations["listConnectorTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connector-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one connector template */
        get: operations["getConnectorTemplate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the caller's API tokens (never the tokens themselves) */
        get: operations["listTokens"];
        put?: never;
        /** Issue an API token (shown once) */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/portal-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A single-use App Portal link for the token's own user
         * @description The host platform hands the URL to its user (a redirect, or an iframe's src). The code in it opens one portal session, once, within ten minutes. AccountsFunction's `portal-link` action mints the same links without a token.
         */
        post: operations["createPortalLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The portal session's user, plan and CSRF token
         * @description The App Portal's own routes authenticate with the session cookie that opening a portal link sets. Every route of this document under /api/v1 (but the token and portal-link routes) is also served under /portal/api/v1 with the same bodies, authenticated by that cookie; there, and on every other /portal/api route, a request that changes something must send the session's `csrfToken` in `X-CSRF-Token` (else 403).
         */
        get: operations["getPortalSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the portal session and clears its cookie */
        post: operations["portalLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/connect/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts Connect to Slack, Discord or HubSpot (OAuth 2 authorization code)
         * @description Checks the draft (name, events, filters, template; or the connector to reconnect) and the plan before the user leaves, then answers the provider's authorize URL for the browser (top-level, or a popup when framed). The provider comes back to /portal/oauth/{provider}/callback.
         */
        post: operations["portalConnectStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/connect/{provider}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finishes a Connect flow with the callback's parameters a popup handed over
         * @description For a framed portal: the provider's callback lands in a popup, which has no portal session and posts the callback's parameters to the portal window; that window sends them here, inside the session that started the flow.
         */
        post: operations["portalConnectComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/windmill/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The Windmill workspaces a token can see */
        post: operations["windmillWorkspaces"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/windmill/runnables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The scripts and flows of a Windmill workspace */
        post: operations["windmillRunnables"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/windmill/webhook-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The webhook URL of a Windmill script or flow, for a windmill connector */
        post: operations["windmillWebhookUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ConnectProblem: {
            type: string;
            title: string;
            status: number;
            /** @description Written for the user; show it as text */
            detail: string;
            instance?: string;
            /** @enum {string} */
            reason: "denied" | "provider_error" | "expired" | "replayed" | "wrong_session" | "invalid_state" | "refused" | "limit" | "gone" | "not_configured";
            errors?: {
                field: string;
                message: string;
            }[];
        };
        /** @description A new connector's name, events, filters (and template), or the connectorId to reconnect */
        ConnectStart: {
            name?: string;
            events?: string[];
            filters?: components["schemas"]["EventPattern"];
            template?: string;
            /** Format: uuid */
            connectorId?: string;
        };
        PortalLink: {
            /** @description <portal>/start?code=cpl_…; works once */
            url: string;
            /** Format: date-time */
            expiresAt: string;
        };
        PortalSession: {
            userId: string;
            /** @enum {string} */
            tier: "free" | "pro" | "journalist" | "enterprise";
            /** @description The plan as users read it, e.g. Pro */
            tierName: string;
            /** @description null: unlimited */
            connectorLimit: number | null;
            connectorCount: number;
            csrfToken: string;
            /**
             * Format: date-time
             * @description When the session ends unless used before (an hour idle, eight hours at most)
             */
            expiresAt: string;
            /** @description The Connect flows the operator has set up */
            connectProviders: ("slack" | "discord" | "hubspot")[];
        };
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                field: string;
                message: string;
            }[];
        };
        /** @description Without `template`, `type` and `events` are required; with `template`, they default to the template's. `version` is for PUT only (a create with it is a 400). */
        ConnectorCreate: {
            /** @description Id of a connector template (GET /api/v1/connector-templates) */
            template?: string;
            type?: string;
            name: string;
            config: {
                [key: string]: unknown;
            };
            events?: string[];
            filters?: components["schemas"]["EventPattern"];
            transformation?: string | null;
            enabled?: boolean;
            version?: number;
        } | unknown | unknown;
        /** @description Only the given fields change; config keys merge, and a null config value removes an optional key. */
        ConnectorPatch: {
            /** @description Must equal the connector's type if given */
            type?: string;
            name?: string;
            config?: {
                [key: string]: unknown;
            };
            events?: string[];
            filters?: components["schemas"]["EventPattern"];
            transformation?: string | null;
            enabled?: boolean;
            version?: number;
        };
        Connector: {
            uuid: string;
            type: string;
            name: string;
            /** @description Non-secret fields as saved; secret fields masked */
            config: {
                [key: string]: unknown;
            };
            events: string[];
            filters: components["schemas"]["EventPattern"];
            transformation: string | null;
            /** @enum {string} */
            status: "active" | "disabled";
            statusReason: string | null;
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Generic connectors only, in the create response only */
            signingSecret?: string;
        };
        ConnectorPage: {
            connectors: components["schemas"]["Connector"][];
            nextCursor: string | null;
        };
        /** @description A Token with its text, which only the create response shows */
        IssuedToken: {
            id: string;
            prefix: string;
            name: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            token: string;
        };
        Token: {
            id: string;
            prefix: string;
            name: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
        };
        ConnectorTypes: {
            types: {
                name: string;
                displayName?: string;
                description: string;
                requiredFields: string[];
                optionalFields: string[];
                fields: {
                    name: string;
                    kind: string;
                    required: boolean;
                    secret: boolean;
                    description: string;
                    values?: string[];
                    hosts?: string[];
                    example?: unknown;
                }[];
                setupSteps: string[];
            }[];
        };
        /**
         * @description A content filter: an EventBridge-style event pattern over the envelope fields type, userId, subject, attributes and data (exact values, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, wildcard, cidr, $or), or the shorthand {"categories": [...]} form. {} lets every event through. README's "Content filters" section gives the rules and examples.
         * @example {
         *       "data": {
         *         "status": [
         *           {
         *             "anything-but": [
         *               "kept"
         *             ]
         *           }
         *         ]
         *       },
         *       "attributes": {
         *         "category": [
         *           {
         *             "prefix": "tech"
         *           }
         *         ]
         *       }
         *     }
         */
        EventPattern: {
            [key: string]: unknown;
        };
        FilterTestResult: {
            matched: boolean;
            eventType: string;
            failure: {
                /** @description The first place in the filter that failed, e.g. data.status or $or */
                path: string;
                /** @description What the event held there and what the filter wanted */
                reason: string;
            } | null;
            /** @description For a filter with a top-level $or, the alternative that matched, e.g. $or[1] */
            matchedAlternative: string | null;
        };
        EventTypes: {
            eventTypes: {
                name: string;
                description: string;
                schema: Record<string, never>;
                example: Record<string, never>;
            }[];
            filters: {
                name: string;
                description: string;
            }[];
            wildcard?: string;
        };
        /** @enum {string} */
        DeliveryStatus: "pending" | "succeeded" | "failed" | "cancelled" | "dead";
        Delivery: {
            id: string;
            eventId: string;
            eventType: string;
            status: components["schemas"]["DeliveryStatus"];
            /** @description Increases each time a finished or dead delivery is sent again */
            series: number;
            attempts: {
                /** @description The attempt's number within its series */
                number: number;
                /** @description The series of attempts it belongs to (a manual retry or a redrive starts the next) */
                series: number;
                /** Format: date-time */
                at: string;
                statusCode: number | null;
                latencyMs: number;
                outcome: string;
                error: string | null;
                console?: string[];
            }[];
            /** Format: date-time */
            nextAttemptAt: string | null;
            /** @description Which alternative of the connector's filter let the event through when the filter has a top-level $or, e.g. $or[1] (as POST /api/v1/filters/test names it); null for a filter without one, or none */
            matchedAlternative: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        DeliveryPage: {
            deliveries: components["schemas"]["Delivery"][];
            nextCursor: string | null;
        };
        TestResult: {
            ok: boolean;
            eventType: string;
            eventId: string;
            statusCode: number | null;
            responseExcerpt: string | null;
            latencyMs: number;
            error: string | null;
            /** @description The transformation set webhook.cancel; nothing was sent */
            cancelled: boolean;
            console: string[];
        };
        DryRunResult: {
            ok: boolean;
            tookMs: number;
            console: string[];
            webhook: {
                method: string;
                url: string;
                eventType: string;
                headers: {
                    [key: string]: string;
                };
                /** @description webhook.payload after the run: any JSON value, null included */
                payload: unknown;
                cancel: boolean;
            } | null;
            error: {
                kind: string;
                message: string;
                line: number | null;
                column: number | null;
            } | null;
        };
        ConnectorTemplate: {
            id: string;
            type: string;
            name: string;
            description: string;
            eventTypes: string[];
            transformation: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
    };
    responses: {
        /** @description A Connect flow that stored nothing; `reason` is one of denied, provider_error, expired, replayed, wrong_session, invalid_state, refused, limit, gone, not_configured */
        ConnectProblem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ConnectProblem"];
            };
        };
        /** @description An RFC 9457 problem */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing, malformed, unknown or revoked token (always the same body) */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        Provider: "slack" | "discord" | "hubspot";
        /** @description The `csrfToken` of GET /portal/api/session */
        CsrfToken: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listConnectorTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connector catalog */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorTypes"];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    listEventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Event types with schema and example, and the filter keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypes"];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    listConnectors: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page, unchanged */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorPage"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createConnector: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 visible ASCII characters chosen by the client, such as a UUID */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectorCreate"];
            };
        };
        responses: {
            /** @description Created; `signingSecret` is present (once) for generic connectors */
            201: {
                headers: {
                    /** @description /api/v1/connectors/{uuid} of the new connector */
                    Location: string;
                    /** @description true when this is the stored answer of an earlier request with the same Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
        };
    };
    getConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connector */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    replaceConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectorCreate"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
        };
    };
    deleteConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    updateConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectorPatch"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page, unchanged */
                cursor?: string;
            };
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    retryDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "queued";
                        previousStatus: components["schemas"]["DeliveryStatus"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
        };
    };
    testConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description One of the connector's event types; default its first */
                    eventType?: string | null;
                };
            };
        };
        responses: {
            /** @description What happened; a failed delivery is `ok false` with the reason, not an API error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
        };
    };
    rotateSigningSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret, shown only now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uuid: string;
                        signingSecret: string;
                        /** Format: date-time */
                        previousSecretValidUntil: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    testTransformation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description JavaScript defining function handler(webhook); default: the connector type's */
                    code?: string | null;
                    eventType?: string | null;
                    /** @description webhook.payload; default: the event type's example */
                    payload?: Record<string, never> | null;
                    connectorType?: string | null;
                    method?: string | null;
                    url?: string | null;
                };
            };
        };
        responses: {
            /** @description The outcome; a script that fails is `ok false` with the error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DryRunResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
        };
    };
    testFilter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter: components["schemas"]["EventPattern"];
                    /** @description An envelope as the host platform publishes it; send this or eventType */
                    event?: {
                        [key: string]: unknown;
                    } | null;
                    /** @description Try the filter on this type's catalog example */
                    eventType?: string | null;
                    /** @description The connector's event types (or ["*"]); the filter's fields are checked against their schemas. Default: the event's type */
                    events?: string[] | null;
                };
            };
        };
        responses: {
            /** @description The verdict; a refused event is `matched false` with where and why */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilterTestResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    listConnectorTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        templates: components["schemas"]["ConnectorTemplate"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    getConnectorTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorTemplate"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's tokens (never the token text) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["Token"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name?: string;
                };
            };
        };
        responses: {
            /** @description The new token; `token` is shown only now */
            201: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedToken"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked; it stops working within 60 seconds */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["Problem"];
        };
    };
    createPortalLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The link */
            201: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalLink"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalSession"];
                };
            };
            401: components["responses"]["Problem"];
        };
    };
    portalLogout: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out (also when there was no session) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: components["responses"]["Problem"];
        };
    };
    portalConnectStart: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path: {
                provider: components["parameters"]["Provider"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectStart"];
            };
        };
        responses: {
            /** @description Where to send the browser */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        authorizeUrl: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["ConnectProblem"];
        };
    };
    portalConnectComplete: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path: {
                provider: components["parameters"]["Provider"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code?: string;
                    state?: string;
                    error?: string;
                    error_description?: string;
                };
            };
        };
        responses: {
            /** @description The connector the flow created or reconnected */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        connectorId: string;
                        /** @enum {string} */
                        provider: "slack" | "discord" | "hubspot";
                        reconnected: boolean;
                    };
                };
            };
            400: components["responses"]["ConnectProblem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["ConnectProblem"];
            404: components["responses"]["ConnectProblem"];
            409: components["responses"]["ConnectProblem"];
            502: components["responses"]["ConnectProblem"];
        };
    };
    windmillWorkspaces: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Self-hosted Windmill; default https://app.windmill.dev */
                    baseUrl?: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description The workspaces */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workspaces: {
                            id: string;
                            name: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            502: components["responses"]["Problem"];
        };
    };
    windmillRunnables: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    baseUrl?: string;
                    token: string;
                    workspace: string;
                };
            };
        };
        responses: {
            /** @description Scripts and flows, sorted by kind and path */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runnables: {
                            /** @enum {string} */
                            kind: "script" | "flow";
                            path: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            502: components["responses"]["Problem"];
        };
    };
    windmillWebhookUrl: {
        parameters: {
            query?: never;
            header: {
                /** @description The `csrfToken` of GET /portal/api/session */
                "X-CSRF-Token": components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    baseUrl?: string;
                    workspace: string;
                    /** @enum {string} */
                    kind: "script" | "flow";
                    path: string;
                    /**
                     * @default async
                     * @enum {string}
                     */
                    mode?: "async" | "sync";
                    /** @description Added as ?token=; the URL is then the connector's credential */
                    token?: string;
                };
            };
        };
        responses: {
            /** @description The URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
}
