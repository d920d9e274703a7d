# riskd. `make run` serves on the embedded Stripe sandbox; `make test` runs every test.
GO      ?= go
BIN     := bin
PKGS    := ./...

.PHONY: help run build test bench lint fmt clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

build: ## build riskd and riskctl into ./bin
	$(GO) build -o $(BIN)/ ./cmd/riskd ./cmd/riskctl

run: build ## serve on 127.0.0.1:8080 against the embedded Stripe sandbox (or STRIPE_SECRET_KEY)
	./$(BIN)/riskd

test: ## run the tests
	$(GO) test -count=1 $(PKGS)

bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

lint: ## vet and check formatting
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fmt: ## format the code
	gofmt -w $$(git ls-files '*.go')

clean: ## remove binaries and the default database
	rm -rf $(BIN) data
