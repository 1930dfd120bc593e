package app.connectors.local.fault;

import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.local.StackProcess;
import app.connectors.local.bench.HarnessMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The delivery pipeline under faults: the local stack runs as a child JVM on a data folder
 * ({@link StackProcess}); connectors point at destinations that answer slowly, fail, hang, flap and
 * answer 429 ({@link FaultSinks}); events are published while the stack is killed with SIGKILL at
 * random moments and started again on the same folder. After the last restart the run waits for the
 * deliveries to drain and counts, for every (event, connector) pair the platform acknowledged: was
 * it delivered (a 2xx at its destination), lost (never), and how many duplicate sends it got after
 * its first success; a duplicate is explained only when that first successful send was in flight at
 * a kill (it arrived before the kill ended, and its answer left at most the grace before the kill
 * began: the service may not have recorded it). Every send of a pair must carry the same
 * {@code webhook-id}. The run passes with 0 lost, 0 unexplained duplicates and 0 webhook-id changes.
 *
 * <p>Everything random (the kill times, which arrivals fail, the flapping phase) comes from one seed,
 * printed first: {@code --seed} replays a run's faults (the machine's timing still varies).
 *
 * <pre>
 * bin/bench faults                                   # the longer harness run
 * bin/bench faults --seed 42 --kills 5 --events 40   # a replay of the CI form's seed 42
 * </pre>
 */
public final class FaultRun {

    /** How a run is set up. The {@link #ci(long)} form is what the test suite runs. */
    public record Options(long seed, int connectorsPerBehaviour, int events, int kills, Duration minUptime,
                          Duration maxUptime, Duration drainLimit, Duration grace, int visibilitySeconds, Path template,
                          Path workFolder, String stackClasspath) {

        /** The test suite's form: 6 connectors, 40 events (240 pairs), 5 kills, each after 3–15 s of uptime. */
        public static Options ci(long seed) {
            return new Options(seed, 1, 40, 5, Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofSeconds(240),
                    Duration.ofSeconds(5), 60, Path.of("template.yaml"), null,
                    System.getProperty("java.class.path"));
        }

        /** The harness form: 12 connectors, 100 events (1,200 pairs), 15 kills, each after 3–30 s of uptime. */
        public static Options harness(long seed) {
            return new Options(seed, 2, 100, 15, Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(10),
                    Duration.ofSeconds(5), 60, Path.of("template.yaml"), null,
                    System.getProperty("java.class.path"));
        }

        public Options withTemplate(Path value) {
            return new Options(seed, connectorsPerBehaviour, events, kills, minUptime, maxUptime, drainLimit, grace,
                    visibilitySeconds, value, workFolder, stackClasspath);
        }

        public Options withWorkFolder(Path value) {
            return new Options(seed, connectorsPerBehaviour, events, kills, minUptime, maxUptime, drainLimit, grace,
                    visibilitySeconds, template, value, stackClasspath);
        }

        /** The stack's class path (a test runs the shaded jar the build made, as users start the stack). */
        public Options withStackClasspath(String value) {
            return new Options(seed, connectorsPerBehaviour, events, kills, minUptime, maxUptime, drainLimit, grace,
                    visibilitySeconds, template, workFolder, value);
        }

        static Options parse(String[] args) {
            long seed = new Random().nextLong();
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("--seed")) {
                    seed = Long.parseLong(args[i + 1]);
                }
            }
            Options o = harness(seed);
            int perBehaviour = o.connectorsPerBehaviour();
            int events = o.events();
            int kills = o.kills();
            Duration minUptime = o.minUptime();
            Duration maxUptime = o.maxUptime();
            Duration drain = o.drainLimit();
            int visibility = o.visibilitySeconds();
            Path template = o.template();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--seed" -> { }
                    case "--connectors-per-behaviour" -> perBehaviour = Integer.parseInt(value);
                    case "--events" -> events = Integer.parseInt(value);
                    case "--kills" -> kills = Integer.parseInt(value);
                    case "--min-uptime" -> minUptime = Duration.ofSeconds(Long.parseLong(value));
                    case "--max-uptime" -> maxUptime = Duration.ofSeconds(Long.parseLong(value));
                    case "--drain" -> drain = Duration.ofSeconds(Long.parseLong(value));
                    case "--visibility" -> visibility = Integer.parseInt(value);
                    case "--template" -> template = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "; options: --seed S "
                            + "--connectors-per-behaviour N --events E --kills K --min-uptime SECONDS --max-uptime SECONDS "
                            + "--drain SECONDS --visibility SECONDS --template FILE");
                }
            }
            return new Options(seed, perBehaviour, events, kills, minUptime, maxUptime, drain, o.grace(), visibility, template,
                    null, o.stackClasspath());
        }
    }

    /** A kill: when the signal was sent, when the process was gone, when the next stack was up. */
    public record Kill(long startedAtMillis, long exitedAtMillis, long restartedAtMillis) {
    }

    /** What a run found. */
    /**
     * What a run found. {@code lost}: pairs never answered 2xx although the pipeline had nothing left
     * to do (its queues empty); when the drain limit ended the run with work still queued, the run
     * is {@code incomplete} and the undelivered pairs are not counted as lost.
     */
    public record Report(long seed, int pairs, int delivered, int undelivered, boolean incomplete, int duplicates,
                         int explainedDuplicates, int webhookIdChanges, int notAcknowledgedButDelivered, List<Kill> kills,
                         Map<String, Integer> recordsByStatus, Map<String, Integer> queueDepths, List<String> problems) {

        public int lost() {
            return incomplete ? 0 : undelivered;
        }

        public int unexplainedDuplicates() {
            return duplicates - explainedDuplicates;
        }

        public boolean passed() {
            return !incomplete && lost() == 0 && unexplainedDuplicates() == 0 && webhookIdChanges == 0;
        }

        public String summary() {
            return String.format("FAULTS seed=%d kills=%d pairs=%d delivered=%d lost=%d%s duplicates=%d "
                            + "(in flight at a kill: %d, unexplained: %d) webhook_id_changes=%d delivered_unacknowledged=%d "
                            + "records=%s queues=%s -> %s",
                    seed, kills.size(), pairs, delivered, lost(),
                    incomplete ? " (INCOMPLETE: " + undelivered + " not delivered while work was still queued)" : "",
                    duplicates, explainedDuplicates, unexplainedDuplicates(), webhookIdChanges, notAcknowledgedButDelivered,
                    recordsByStatus, queueDepths, passed() ? "PASS" : "FAIL");
        }
    }

    private static final String USER_ID = "faults-user";

    private final Options options;
    private final PrintStream out;

    public FaultRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        HarnessMain.run(args, Options::parse, (options, out) -> new FaultRun(options, out).run().passed() ? 0 : 1);
    }

    /** Runs the whole scenario and prints the counts; the report says whether it passed. */
    public Report run() throws IOException, InterruptedException {
        Path work = options.workFolder() != null ? options.workFolder() : Files.createTempDirectory("faults");
        Random random = new Random(options.seed());
        List<FaultSinks.Behaviour> behaviours = new ArrayList<>();
        for (FaultSinks.Behaviour behaviour : FaultSinks.Behaviour.values()) {
            for (int i = 0; i < options.connectorsPerBehaviour(); i++) {
                behaviours.add(behaviour);
            }
        }
        // Before each kill the stack runs for a while (seeded, between the two uptimes); the events are
        // published in as many slices, one at the start of each stretch of uptime, so every kill finds work in flight.
        List<Long> uptimes = new ArrayList<>();
        for (int i = 0; i <= options.kills(); i++) {
            long spread = options.maxUptime().toMillis() - options.minUptime().toMillis();
            uptimes.add(options.minUptime().toMillis() + (long) (random.nextDouble() * Math.max(0, spread)));
        }
        out.printf("fault run: seed=%d connectors=%d (%s x %d) events=%d pairs=%d kills=%d after uptimes of %s ms; "
                        + "queue visibility %d s; data in %s%n", options.seed(), behaviours.size(),
                List.of(FaultSinks.Behaviour.values()), options.connectorsPerBehaviour(), options.events(),
                options.events() * behaviours.size(), options.kills(), uptimes.subList(0, options.kills()),
                options.visibilitySeconds(), work);

        boolean keep = options.workFolder() != null;
        try (FaultSinks sinks = FaultSinks.start(options.seed(), behaviours)) {
            StackProcess.Options stackOptions = new StackProcess.Options(
                    compressedTemplate(options.template(), options.visibilitySeconds(), work.resolve("template.yaml")),
                    work.resolve("data"), work.resolve("stack.log"))
                    .classpath(options.stackClasspath())
                    .allow("127.0.0.1:" + sinks.port())
                    // Retries seconds apart instead of minutes; a hanging destination costs 6 s, not 15.
                    .env("RETRY_SCHEDULE_SECONDS", "0,1,2,3,3,3,3,3")
                    .env("SENDER_CONNECT_TIMEOUT_MS", "1000")
                    .env("SENDER_RESPONSE_TIMEOUT_MS", "5000")
                    .env("SENDER_DEADLINE_MS", "6000")
                    // Up to 4 batches of a function at once (Lambda runs many): hanging destinations hold a batch for 6 s.
                    .startOption("--poller-concurrency", "4")
                    .jvm("-Xmx768m")
                    // Restarts are most of a run's time; a class-data archive of the stack halves them. The
                    // JVM writes it when a stack exits cleanly (never on SIGKILL): the first stack does.
                    .jvm("-XX:SharedArchiveFile=" + work.resolve("stack.jsa"))
                    .jvm("-XX:+AutoCreateSharedArchive")
                    .jvm("-Xlog:cds*=error");
            AtomicReference<StackProcess> stack = new AtomicReference<>(StackProcess.start(stackOptions));
            List<Kill> kills = new ArrayList<>();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            try {
                createConnectors(stack.get(), stackOptions, sinks, behaviours.size());
                stack.get().close();
                out.printf("class-data archive for restarts: %s%n",
                        Files.exists(work.resolve("stack.jsa")) ? "written" : "not written (restarts will be slower)");
                stack.set(StackProcess.start(stackOptions));
                long started = System.currentTimeMillis();
                List<Thread> publishers = new ArrayList<>();
                int published = 0;
                for (int window = 0; window <= options.kills(); window++) {
                    int slice = (options.events() - published) / (options.kills() + 1 - window);
                    int from = published;
                    long uptime = uptimes.get(window);
                    publishers.add(Thread.ofPlatform().name("publisher-" + window)
                            .start(() -> publish(stack, acknowledged, from, slice, uptime)));
                    published += slice;
                    if (window == options.kills()) {
                        break;
                    }
                    Thread.sleep(uptime);
                    long killAt = System.currentTimeMillis();
                    stack.get().kill();
                    long exited = System.currentTimeMillis();
                    stack.set(StackProcess.start(stackOptions));
                    long restarted = System.currentTimeMillis();
                    kills.add(new Kill(killAt, exited, restarted));
                    out.printf("kill %d at +%.1f s (gone in %d ms), up again after %.1f s%n", kills.size(),
                            (killAt - started) / 1000.0, exited - killAt, (restarted - exited) / 1000.0);
                }
                for (Thread publisher : publishers) {
                    publisher.join();
                }
                out.printf("published %d of %d events (acknowledged); draining...%n", acknowledged.size(), options.events());
                boolean finished = drain(stack.get(), sinks, acknowledged, behaviours.size());
                Map<String, Integer> records = recordsByStatus(stack.get());
                Report report = analyse(sinks, acknowledged, behaviours.size(), kills, records, queueDepths(stack.get()), !finished);
                out.println(report.summary());
                report.problems().stream().limit(40).forEach(problem -> out.println("  " + problem));
                if (!report.passed()) {
                    keep = true;
                    out.println("the run's data and the stack's log are kept in " + work);
                }
                return report;
            } finally {
                stack.get().close();
            }
        } finally {
            if (!keep) {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /**
     * template.yaml with every queue's VisibilityTimeout capped, so that a message in flight at a
     * kill comes back within the run (SQS keeps it hidden for the full timeout, as the local queues
     * now do). EventsQueue keeps a visibility longer than DispatcherFunction's Timeout, as the
     * dispatcher's lease on a fan-out lasts as long as its invocation: a message coming back sooner
     * would find the lease still held, and use up its few receives waiting. Nothing else changes.
     */
    static Path compressedTemplate(Path template, int visibilitySeconds, Path target) throws IOException {
        String yaml = Files.readString(template);
        int eventsQueueAtLeast = functionTimeout(yaml, "DispatcherFunction") + 1;
        Matcher matcher = Pattern.compile("(?m)^(\\s+VisibilityTimeout:\\s*)(\\d+)").matcher(yaml);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            int cap = resourceAt(yaml, matcher.start()).equals("EventsQueue")
                    ? Math.max(visibilitySeconds, eventsQueueAtLeast) : visibilitySeconds;
            int value = Math.min(Integer.parseInt(matcher.group(2)), cap);
            matcher.appendReplacement(text, matcher.group(1) + value);
        }
        matcher.appendTail(text);
        Files.createDirectories(target.getParent());
        return Files.writeString(target, text);
    }

    /** The Timeout of a function of the template, in seconds. */
    static int functionTimeout(String yaml, String function) {
        Matcher resource = Pattern.compile("(?m)^  " + function + ":\\s*$").matcher(yaml);
        if (!resource.find()) {
            throw new IllegalArgumentException("template has no " + function);
        }
        Matcher timeout = Pattern.compile("(?m)^\\s+Timeout:\\s*(\\d+)").matcher(yaml);
        if (!timeout.find(resource.end()) || !resourceAt(yaml, timeout.start()).equals(function)) {
            throw new IllegalArgumentException(function + " has no Timeout in the template");
        }
        return Integer.parseInt(timeout.group(1));
    }

    /** The resource (a two-space-indented key under Resources) whose block holds {@code offset}. */
    private static String resourceAt(String yaml, int offset) {
        Matcher key = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\s*$").matcher(yaml.substring(0, offset));
        String last = "";
        while (key.find()) {
            last = key.group(1);
        }
        return last;
    }

    private void createConnectors(StackProcess stack, StackProcess.Options stackOptions, FaultSinks sinks, int count)
            throws IOException, InterruptedException {
        JsonNode account = stack.invoke(stackOptions, "AccountsFunction",
                "{\"userId\":\"" + USER_ID + "\",\"tier\":\"enterprise\"}");
        String token = account.path("token").asText();
        if (token.isEmpty()) {
            throw new IllegalStateException("could not create the user: " + account);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < count; i++) {
                ObjectNode body = Json.object().put("type", "generic").put("name", "faults-" + i + "-" + sinks.behaviour(i));
                body.putObject("config").put("url", sinks.url(i)).put("method", "POST");
                body.putArray("events").add(EventCatalog.WILDCARD);
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("creating connector " + i + " failed: " + response.statusCode() + " " + response.body());
                }
            }
        }
    }

    /**
     * Publishes events {@code from} … {@code from + count - 1}, spread over {@code overMillis}; a send
     * that fails (the stack is down) is tried again on the next stack until it is acknowledged.
     */
    private void publish(AtomicReference<StackProcess> stack, Set<String> acknowledged, int from, int count, long overMillis) {
        long started = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            sleepUntil(started + i * overMillis / Math.max(1, count));
            ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
            String id = "evt_fault_" + options.seed() + "_" + (from + i);
            envelope.put("id", id);
            envelope.put("userId", USER_ID);
            String body = Json.write(envelope);
            while (true) {
                StackProcess current = stack.get();
                try {
                    current.sqs().sendMessage(r -> r.queueUrl(current.queueUrl("EventsQueue")).messageBody(body));
                    acknowledged.add(id);
                    break;
                } catch (RuntimeException stackDown) {
                    sleepUntil(System.currentTimeMillis() + 250);
                }
            }
        }
    }

    /**
     * Waits until every acknowledged pair has had a 2xx, or the pipeline has nothing left to do (its
     * queues empty at three checks in a row), or the drain limit; then a little longer for late
     * copies. False when the limit ended it with work still queued.
     */
    private boolean drain(StackProcess stack, FaultSinks sinks, Set<String> acknowledged, int connectors)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + options.drainLimit().toMillis();
        int expected = acknowledged.size() * connectors;
        int delivered = 0;
        int idleChecks = 0;
        boolean finished = false;
        while (System.currentTimeMillis() < deadline) {
            delivered = deliveredPairs(sinks, acknowledged).size();
            idleChecks = queued(stack) == 0 ? idleChecks + 1 : 0;
            if (delivered >= expected || idleChecks >= 3) {
                finished = true;
                break;
            }
            TimeUnit.SECONDS.sleep(2);
        }
        out.printf("drain: %d of %d pairs delivered; %s; waiting %d s for late copies%n", delivered, expected,
                finished ? "nothing left queued" : "the drain limit passed with work still queued",
                options.grace().toSeconds() * 3);
        TimeUnit.SECONDS.sleep(options.grace().toSeconds() * 3);
        return finished || deliveredPairs(sinks, acknowledged).size() >= expected;
    }

    /** Messages on the event and delivery queues, visible, in flight or delayed. */
    private static long queued(StackProcess stack) {
        return queueDepths(stack).entrySet().stream().filter(entry -> !entry.getKey().endsWith("DLQ"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Every queue's depth (visible + in flight + delayed). */
    private static Map<String, Integer> queueDepths(StackProcess stack) {
        Map<String, Integer> depths = new TreeMap<>();
        for (String queue : stack.queues().keySet()) {
            try {
                Map<QueueAttributeName, String> attributes = stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue))
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
                depths.put(queue, attributes.values().stream().mapToInt(Integer::parseInt).sum());
            } catch (RuntimeException e) {
                depths.put(queue, -1);
            }
        }
        return depths;
    }

    private static Set<String> deliveredPairs(FaultSinks sinks, Set<String> acknowledged) {
        Set<String> pairs = new java.util.HashSet<>();
        for (FaultSinks.Arrival arrival : sinks.arrivals()) {
            if (arrival.succeeded() && acknowledged.contains(arrival.eventId())) {
                pairs.add(arrival.connector() + "/" + arrival.eventId());
            }
        }
        return pairs;
    }

    Report analyse(FaultSinks sinks, Set<String> acknowledged, int connectors, List<Kill> kills,
                   Map<String, Integer> records, Map<String, Integer> queues, boolean incomplete) {
        Map<String, List<FaultSinks.Arrival>> byPair = new TreeMap<>();
        int notAcknowledged = 0;
        for (FaultSinks.Arrival arrival : sinks.arrivals()) {
            if (!acknowledged.contains(arrival.eventId())) {
                if (arrival.succeeded()) {
                    notAcknowledged++;
                }
                continue;
            }
            byPair.computeIfAbsent(arrival.connector() + "/" + arrival.eventId(), k -> new ArrayList<>()).add(arrival);
        }
        List<String> problems = new ArrayList<>();
        int delivered = 0;
        int duplicates = 0;
        int explained = 0;
        int webhookIdChanges = 0;
        for (String eventId : acknowledged) {
            for (int c = 0; c < connectors; c++) {
                String pair = c + "/" + eventId;
                List<FaultSinks.Arrival> arrivals = new ArrayList<>(byPair.getOrDefault(pair, List.of()));
                arrivals.sort(Comparator.comparingLong(FaultSinks.Arrival::arrivedAtMillis));
                if (arrivals.stream().map(FaultSinks.Arrival::webhookId).distinct().count() > 1) {
                    webhookIdChanges++;
                    problems.add("webhook-id changed for " + pair + ": " + arrivals.stream().map(FaultSinks.Arrival::webhookId).distinct().toList());
                }
                FaultSinks.Arrival first = arrivals.stream().filter(FaultSinks.Arrival::succeeded).findFirst().orElse(null);
                if (first == null) {
                    problems.add((incomplete ? "not delivered " : "lost ") + pair + " (" + sinks.behaviour(c) + "): " + arrivals.size() + " arrivals, none answered 2xx");
                    continue;
                }
                delivered++;
                List<FaultSinks.Arrival> copies = arrivals.subList(arrivals.indexOf(first) + 1, arrivals.size());
                if (!copies.isEmpty()) {
                    duplicates += copies.size();
                    boolean inFlight = kills.stream().anyMatch(kill -> first.arrivedAtMillis() <= kill.exitedAtMillis()
                            && first.answeredAtMillis() >= kill.startedAtMillis() - options.grace().toMillis());
                    if (inFlight) {
                        explained += copies.size();
                    } else {
                        problems.add("duplicate " + pair + " (" + sinks.behaviour(c) + "): first 2xx arrived at " + first.arrivedAtMillis()
                                + ", answered at " + first.answeredAtMillis() + ", with no kill around it; " + copies.size() + " copies");
                    }
                }
            }
        }
        return new Report(options.seed(), acknowledged.size() * connectors, delivered, acknowledged.size() * connectors - delivered,
                incomplete, duplicates, explained, webhookIdChanges, notAcknowledged, List.copyOf(kills), records, queues, problems);
    }

    /** The delivery records of the run's user by status, read from the last stack's DynamoDB (a diagnosis, not the verdict). */
    private static Map<String, Integer> recordsByStatus(StackProcess stack) {
        Map<String, Integer> counts = new TreeMap<>();
        try {
            for (Map<String, AttributeValue> item : stack.dynamoDb().scanPaginator(r -> r.tableName("DeliveriesTable")).items()) {
                AttributeValue deliveryId = item.get("deliveryId");
                if (deliveryId == null || !deliveryId.s().startsWith("dlv_")) {
                    // a destination's state, or a dispatcher's lease on a fan-out: not a delivery record
                    continue;
                }
                AttributeValue status = item.get("status");
                counts.merge(status == null ? "?" : status.s(), 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            counts.put("unreadable: " + e.getClass().getSimpleName(), 0);
        }
        return counts;
    }

    private static void sleepUntil(long millis) {
        long wait = millis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
