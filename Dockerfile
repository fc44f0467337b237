# syntax=docker/dockerfile:1
# The secret-baker action image: a static binary on distroless (CA
# certificates included, no shell). Docker actions run as root, so there is
# no USER line; the binary gives the baked file to the workspace's owner.
# The build stage runs on the builder's own platform and cross-compiles for
# the target, so a multi-arch release build needs no CPU emulation.
FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags "-s -w" -o /out/secret-baker .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/secret-baker /secret-baker
ENTRYPOINT ["/secret-baker"]
