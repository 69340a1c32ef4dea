"""A stand-in Kubernetes API server on 127.0.0.1 that knows one resource, the sealed-secrets CRD's
SealedSecret, so that a real `kubectl apply --dry-run=client` can map, validate and print the
manifests without a cluster.

  apiserver.py LOG_FILE
      prints its port on stdout, serves discovery, the OpenAPI v3 schema of bitnami.com/v1alpha1
      (written from the facts of the upstream CRD's openAPIV3Schema) and 404 for every object;
      appends `METHOD PATH` of every request to LOG_FILE; stops by itself after 120 seconds.
"""

import http.server
import json
import re
import sys
import threading

GROUP_VERSION = "bitnami.com/v1alpha1"
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

SEALED_SECRET = {
    "type": "object",
    "required": ["spec"],
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
        "spec": {
            "type": "object",
            "required": ["encryptedData"],
            "properties": {
                "data": {"type": "string", "format": "byte"},
                "encryptedData": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "x-kubernetes-preserve-unknown-fields": True,
                },
                "template": {
                    "type": "object",
                    "properties": {
                        "data": {"type": "object", "nullable": True, "additionalProperties": {"type": "string"}},
                        "immutable": {"type": "boolean"},
                        "metadata": {
                            "type": "object",
                            "nullable": True,
                            "x-kubernetes-preserve-unknown-fields": True,
                            "properties": {
                                "annotations": STRING_MAP,
                                "finalizers": {"type": "array", "items": {"type": "string"}},
                                "labels": STRING_MAP,
                                "name": {"type": "string"},
                                "namespace": {"type": "string"},
                            },
                        },
                        "type": {"type": "string"},
                    },
                },
            },
        },
        "status": {"type": "object"},
    },
    "x-kubernetes-group-version-kind": [{"group": "bitnami.com", "kind": "SealedSecret", "version": "v1alpha1"}],
}

OBJECT_META = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
        "creationTimestamp": {"type": "string", "format": "date-time"},
    },
}

ROUTES = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": []},
    "/apis": {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [
            {
                "name": "bitnami.com",
                "versions": [{"groupVersion": GROUP_VERSION, "version": "v1alpha1"}],
                "preferredVersion": {"groupVersion": GROUP_VERSION, "version": "v1alpha1"},
            }
        ],
    },
    "/apis/" + GROUP_VERSION: {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": GROUP_VERSION,
        "resources": [
            {
                "name": "sealedsecrets",
                "singularName": "sealedsecret",
                "namespaced": True,
                "kind": "SealedSecret",
                "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
            }
        ],
    },
    "/openapi/v3": {"paths": {"apis/" + GROUP_VERSION: {"serverRelativeURL": "/openapi/v3/apis/" + GROUP_VERSION + "?hash=1"}}},
    "/openapi/v3/apis/" + GROUP_VERSION: {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.33.0"},
        # A PATCH that takes fieldValidation: kubectl then leaves schema checks to the server, as
        # it does with a real cluster, instead of asking for the protobuf OpenAPI v2 document.
        "paths": {
            "/apis/bitnami.com/v1alpha1/namespaces/{namespace}/sealedsecrets/{name}": {
                "patch": {
                    "parameters": [{"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}],
                    "x-kubernetes-group-version-kind": {"group": "bitnami.com", "kind": "SealedSecret", "version": "v1alpha1"},
                    "x-kubernetes-action": "patch",
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
        "components": {
            "schemas": {
                "com.bitnami.v1alpha1.SealedSecret": SEALED_SECRET,
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": OBJECT_META,
            }
        },
    },
}

OBJECT = re.compile(r"^/apis/bitnami\.com/v1alpha1/namespaces/[^/]+/sealedsecrets/[^/]+$")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        with open(LOG, "a") as log:
            log.write("%s %s\n" % (self.command, self.path))
        path = self.path.split("?", 1)[0]
        if self.command == "GET" and path in ROUTES:
            self.reply(200, ROUTES[path])
        elif self.command == "GET" and OBJECT.match(path):
            name = path.rsplit("/", 1)[1]
            self.reply(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "message": 'sealedsecrets.bitnami.com "%s" not found' % name,
                    "reason": "NotFound",
                    "details": {"name": name, "group": "bitnami.com", "kind": "sealedsecrets"},
                    "code": 404,
                },
            )
        else:
            self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    LOG = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Timer(120, server.shutdown).start()
    server.serve_forever()
