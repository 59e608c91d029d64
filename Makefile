# certcost: the two commands of the README are `make bench` (set up, then run
# the default suite) and `make test`. Both set up first; set-up is a no-op
# when everything is already there.
SCENARIO ?= scenarios/smoke.yaml

.PHONY: setup bench test perf typecheck clean
setup:
	@./setup/setup.sh

bench: setup
	npx certcost run $(SCENARIO)

test: setup
	npx tsc --noEmit
	npx vitest run

# A benchmark of certcost itself (not a test): QEMU's raw speed, then the
# scenarios' wall times, time split and guest instructions per second, and
# make test's wall time. Takes as long as the scenarios do (~10 min).
PERF_SCENARIOS ?= scenarios/smoke.yaml scenarios/handshakes.yaml scenarios/primitives.yaml
perf: setup
	npx certcost perf $(PERF_SCENARIOS) --test

clean:
	rm -rf build results/smoke
