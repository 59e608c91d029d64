# certcost: the two commands of the README are `make bench` (set up, then run
# the default suite) and `make test`. Both set up first; set-up is a no-op
# when everything is already there.
SCENARIO ?= scenarios/smoke.yaml

.PHONY: setup bench test typecheck clean
setup:
	@./setup/setup.sh

bench: setup
	npx certcost run $(SCENARIO)

test: setup
	npx tsc --noEmit
	npx vitest run

clean:
	rm -rf build results/smoke
