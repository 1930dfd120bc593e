# Used by `sam build` (BuildMethod: makefile): SAM runs `make build-<FunctionLogicalId>` with
# ARTIFACTS_DIR set, once per function. Every function shares one artifact, the shaded jar of the
# functions module, so Maven runs only when a source is newer than the jar. Recipes select a JDK
# 21 or newer the way bin/ does (the machine's default `java` may be older).

SHELL := /bin/bash
MVN ?= mvn
JDK := . bin/jdk.sh && connectors_select_jdk
JAR := functions/target/connectors-functions-lambda.jar
SOURCES := $(shell find pom.xml shared/pom.xml functions/pom.xml shared/src/main functions/src/main -type f 2>/dev/null)

$(JAR): $(SOURCES)
	$(JDK) && $(MVN) -B -q -ntp -DskipTests -pl functions -am package

build-%: $(JAR)
	mkdir -p "$(ARTIFACTS_DIR)"
	$(JDK) && cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$(JAR)"

.PHONY: jar
jar: $(JAR)
