# Used by `sam build` (BuildMethod: makefile): SAM runs `make build-<FunctionLogicalId>` with
# ARTIFACTS_DIR set, once per function. Every function shares one artifact, the shaded jar of the
# functions module, so Maven runs only when a source is newer than the jar.

JAR := functions/target/connectors-functions-lambda.jar
SOURCES := $(shell find pom.xml shared/pom.xml functions/pom.xml shared/src/main functions/src/main -type f 2>/dev/null)

$(JAR): $(SOURCES)
	mvn -B -q -ntp -DskipTests -pl functions -am package

build-%: $(JAR)
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$(JAR)"

.PHONY: jar
jar: $(JAR)
