# syntax=docker/dockerfile:1
# The secret-baker action image: a static binary on distroless (CA
# certificates included, no shell). Docker actions run as root, so there is
# no USER line; the binary gives the baked file to the workspace's owner.
# The build stage runs on the builder's own platform and cross-compiles for
# the target, so a multi-arch release build needs no CPU emulation.
# Both base images are pinned by digest (the multi-arch index), the tag kept
# for people and for dependabot's docker ecosystem, which moves tag and digest
# together (.github/dependabot.yml).
FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags "-s -w" -o /out/secret-baker .

FROM gcr.io/distroless/static-debian12:latest@sha256:d75cdd72874d4790092fcb1b058493ecf6bb5bf2b2b897045b00ff01d91843f2
COPY --from=build /out/secret-baker /secret-baker
ENTRYPOINT ["/secret-baker"]
