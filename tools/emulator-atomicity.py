#!/usr/bin/env python3
"""Do an emulator's DynamoDB writes stay atomic under concurrent callers?

Two experiments against a DynamoDB endpoint (moto_server, DynamoDB Local, ...), each the shape of a
write this product relies on:

  quota   N concurrent TransactWriteItems at limit-1, each "count = count + 1 if count < limit" on a
          user item plus a Put of a new connector item (ConnectorStore.create). DynamoDB guarantees
          exactly one succeeds; a round where more succeed, or where the count and the connector
          items disagree afterwards, is an atomicity failure of the emulator.
  version N concurrent single-item UpdateItem calls with the same expected version ("SET v = v + 1 if
          v = :seen", optimistic locking) and N concurrent PutItem "if attribute_not_exists" of one key
          (a single-use link, a first write). DynamoDB lets exactly one of each through.
  partial one writer creates items with a single UpdateItem that SETs a dozen attributes (the shape
          of a delivery record's first write) while readers Query them. DynamoDB never shows part of
          one write; an item read without its "status" attribute is a torn write.

Usage: python3 tools/emulator-atomicity.py [--endpoint URL] [--rounds N]
Without --endpoint it starts moto_server on a free loopback port and stops it at the end.
"""
import argparse
import concurrent.futures
import socket
import subprocess
import threading
import time
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(endpoint):
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x",
                        config=Config(max_pool_connections=64, retries={"max_attempts": 1}))


def create_table(db, name, hash_key, range_key=None):
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    attrs = [{"AttributeName": hash_key, "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
        attrs.append({"AttributeName": range_key, "AttributeType": "S"})
    db.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST")


def quota(db, rounds, racers, limit=5):
    suffix = uuid.uuid4().hex[:8]
    users, connectors = "Users" + suffix, "Connectors" + suffix
    create_table(db, users, "userId")
    create_table(db, connectors, "userId", "connectorId")
    pool = concurrent.futures.ThreadPoolExecutor(racers)
    bad_rounds = []
    for r in range(rounds):
        user = f"user-{r}"
        db.put_item(TableName=users, Item={"userId": {"S": user}, "count": {"N": str(limit - 1)}})
        for i in range(limit - 1):
            db.put_item(TableName=connectors, Item={"userId": {"S": user}, "connectorId": {"S": f"existing-{i}"}})
        go = threading.Barrier(racers)

        def create(i):
            go.wait()
            try:
                db.transact_write_items(TransactItems=[
                    {"Update": {"TableName": users, "Key": {"userId": {"S": user}},
                                "UpdateExpression": "SET #c = #c + :one", "ConditionExpression": "#c < :limit",
                                "ExpressionAttributeNames": {"#c": "count"},
                                "ExpressionAttributeValues": {":one": {"N": "1"}, ":limit": {"N": str(limit)}}}},
                    {"Put": {"TableName": connectors,
                             "Item": {"userId": {"S": user}, "connectorId": {"S": f"racer-{i}"}},
                             "ConditionExpression": "attribute_not_exists(connectorId)"}}])
                return "created"
            except ClientError as e:
                return e.response["Error"]["Code"]

        outcomes = list(pool.map(create, range(racers)))
        created = outcomes.count("created")
        count = int(db.get_item(TableName=users, Key={"userId": {"S": user}}, ConsistentRead=True)["Item"]["count"]["N"])
        stored = db.query(TableName=connectors, KeyConditionExpression="userId = :u",
                          ExpressionAttributeValues={":u": {"S": user}}, ConsistentRead=True)["Count"]
        if created != 1 or count != limit or stored != limit:
            bad_rounds.append((r, created, count, stored))
    pool.shutdown()
    print(f"quota: {rounds} rounds of {racers} concurrent creates at limit-1; "
          f"{len(bad_rounds)} rounds broke 'exactly one succeeds' or left count/items inconsistent")
    for r, created, count, stored in bad_rounds[:10]:
        print(f"  round {r}: {created} transactions succeeded, count {count}, connector items {stored} (limit {limit})")
    return len(bad_rounds)


def version(db, rounds, racers):
    table = "Items" + uuid.uuid4().hex[:8]
    create_table(db, table, "id")
    pool = concurrent.futures.ThreadPoolExecutor(racers)
    bad_rounds = []
    for r in range(rounds):
        key = {"id": {"S": f"item-{r}"}}
        db.put_item(TableName=table, Item={**key, "v": {"N": "1"}})
        go = threading.Barrier(racers)

        def update(i):
            go.wait()
            try:
                db.update_item(TableName=table, Key=key, UpdateExpression="SET v = v + :one, winner = :me",
                               ConditionExpression="v = :seen",
                               ExpressionAttributeValues={":one": {"N": "1"}, ":seen": {"N": "1"}, ":me": {"S": str(i)}})
                return True
            except ClientError:
                return False

        def insert(i):
            go.wait()
            try:
                db.put_item(TableName=table, Item={"id": {"S": f"new-{r}"}, "winner": {"S": str(i)}},
                            ConditionExpression="attribute_not_exists(id)")
                return True
            except ClientError:
                return False

        updated = sum(pool.map(update, range(racers)))
        go = threading.Barrier(racers)
        inserted = sum(pool.map(insert, range(racers)))
        if updated != 1 or inserted != 1:
            bad_rounds.append((r, updated, inserted))
    pool.shutdown()
    print(f"version: {rounds} rounds of {racers} concurrent conditional UpdateItem (same expected version) and PutItem "
          f"(attribute_not_exists); {len(bad_rounds)} rounds let more than one through")
    for r, updated, inserted in bad_rounds[:10]:
        print(f"  round {r}: {updated} updates and {inserted} puts succeeded")
    return len(bad_rounds)


def partial(db, items, readers=4):
    table = "Deliveries" + uuid.uuid4().hex[:8]
    create_table(db, table, "connectorId", "deliveryId")
    done = threading.Event()
    torn = []
    reads = [0]

    def write():
        names, values, sets = {}, {}, []
        for i, attr in enumerate(["userId", "eventId", "eventType", "series", "attemptsInSeries", "attempts",
                                  "createdAt", "createdKey", "updatedAt", "event", "expiresAt", "status"]):
            names[f"#a{i}"] = attr
            values[f":v{i}"] = {"S": f"{attr}-value"}
            sets.append(f"#a{i} = if_not_exists(#a{i}, :v{i})")
        for n in range(items):
            db.update_item(TableName=table, Key={"connectorId": {"S": "c1"}, "deliveryId": {"S": f"d{n:05d}"}},
                           UpdateExpression="SET " + ", ".join(sets), ExpressionAttributeNames=names,
                           ExpressionAttributeValues=values)
        done.set()

    def read():
        while not done.is_set():
            page = db.query(TableName=table, KeyConditionExpression="connectorId = :c",
                            ExpressionAttributeValues={":c": {"S": "c1"}}, ScanIndexForward=False, Limit=5)
            reads[0] += 1
            torn.extend(item["deliveryId"]["S"] for item in page["Items"] if "status" not in item)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"partial: {items} items each created by one UpdateItem, {reads[0]} concurrent queries; "
          f"{len(torn)} reads returned an item without its 'status' attribute")
    return len(torn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--racers", type=int, default=20)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    server = None
    endpoint = args.endpoint
    if endpoint is None:
        port = free_port()
        server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"moto_server at {endpoint}")
    try:
        db = client(endpoint)
        failures = (quota(db, args.rounds, args.racers) + version(db, args.rounds, args.racers)
                    + partial(db, args.items))
    finally:
        if server:
            server.terminate()
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
