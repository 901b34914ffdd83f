# Build the server in one stage, run it from a small image in the next.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin grondvorm

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data grondvorm \
    && mkdir -p /data && chown grondvorm /data
COPY --from=build /src/target/release/grondvorm /usr/local/bin/grondvorm
USER grondvorm
WORKDIR /data
ENV GRONDVORM_ADDR=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///data/grondvorm.db
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
CMD ["grondvorm"]
