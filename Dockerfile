# syntax=docker/dockerfile:1
# The secret-baker action image: a static binary on distroless (CA
# certificates included, no shell). Docker actions run as root, so there is
# no USER line; the binary gives the baked file to the workspace's owner.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/secret-baker .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/secret-baker /secret-baker
ENTRYPOINT ["/secret-baker"]
