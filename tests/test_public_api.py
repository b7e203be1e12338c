"""The public names, pinned: nothing disappears silently (camelCase and snake_case)."""

from __future__ import annotations

import pytest

import pynet
from pynet._names import snake

MODULE = [
    "createServer", "createConnection", "connect", "connectAsync", "Server", "Socket",
    "BlockList", "SocketAddress", "isIP", "isIPv4", "isIPv6", "run", "nextTick",
    "queueMicrotask", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
    "setImmediate", "clearImmediate", "Timeout", "Immediate", "EventEmitter", "once",
    "errors", "NodeError", "AbortError", "AggregateError", "stream",
]

EMITTER = ["on", "addListener", "once", "off", "removeListener", "prependListener",
           "prependOnceListener", "removeAllListeners", "emit", "listeners", "rawListeners",
           "listenerCount", "eventNames", "setMaxListeners", "getMaxListeners"]

CLASSES = {
    "Socket": EMITTER + [
        "connect", "write", "end", "destroy", "destroySoon", "pause", "resume", "isPaused",
        "setEncoding", "setNoDelay", "setKeepAlive", "address", "ref", "unref",
        "remoteAddress", "remotePort", "remoteFamily", "localAddress", "localPort",
        "localFamily", "bytesRead", "bytesWritten", "bufferSize", "connecting", "pending",
        "readyState", "destroyed", "allowHalfOpen", "readable", "writable", "readableEnded",
        "readableFlowing", "readableLength", "readableHighWaterMark", "writableEnded",
        "writableFinished", "writableLength", "writableHighWaterMark", "writableNeedDrain",
        "blockList", "__aiter__", "read", "pipe", "unpipe", "cork", "uncork", "push",
        "unshift", "setDefaultEncoding", "resetAndDestroy", "setTimeout", "timeout",
        "writableCorked", "writableObjectMode", "readableObjectMode", "readableEncoding",
        "readableAborted", "writableAborted", "readableDidRead", "closed", "errored",
        "autoSelectFamilyAttemptedAddresses"],
    "Server": EMITTER + [
        "listen", "close", "address", "listening", "getConnections", "maxConnections",
        "ref", "unref", "listenAsync", "aclose", "__aenter__", "__aexit__", "__aiter__",
        "allowHalfOpen", "pauseOnConnect", "noDelay", "keepAlive", "keepAliveInitialDelay",
        "highWaterMark", "blockList"],
    "BlockList": ["addAddress", "addRange", "addSubnet", "check", "rules", "isBlockList",
                  "toJSON", "fromJSON"],
    "SocketAddress": ["address", "family", "flowlabel", "port", "isSocketAddress", "parse",
                      "toJSON"],
    "Timeout": ["ref", "unref", "hasRef", "refresh", "close"],
    "Immediate": ["ref", "unref", "hasRef"],
    "EventEmitter": EMITTER,
}
STREAM_CLASSES = ["Readable", "Writable", "Duplex", "PassThrough"]


@pytest.mark.parametrize("name", MODULE)
def test_module_names_and_twins(name):
    assert name in pynet.__all__ and hasattr(pynet, name)
    twin = snake(name)
    if twin != name and not name[:1].isupper() and name != "errors":
        assert getattr(pynet, twin) is getattr(pynet, name)
        assert twin in pynet.__all__


@pytest.mark.parametrize("cls_name", sorted(CLASSES))
def test_class_members_and_twins(cls_name):
    cls = getattr(pynet, cls_name)
    instance_only = {"connecting"}  # a plain attribute, as in Node, and already lowercase
    for member in CLASSES[cls_name]:
        if member in instance_only:
            continue
        assert hasattr(cls, member), f"{cls_name}.{member} is gone"
        twin = snake(member)
        if twin != member and not member.startswith("__"):
            assert getattr(cls, twin) is getattr(cls, member) or \
                cls.__dict__.get(twin) is cls.__dict__.get(member), f"{cls_name}.{twin}"


@pytest.mark.parametrize("cls_name", sorted(CLASSES))
def test_every_public_member_says_what_it_does(cls_name):
    cls = getattr(pynet, cls_name)
    undocumented = []
    for member in CLASSES[cls_name]:
        value = cls.__dict__.get(member)
        for base in cls.__mro__:
            if member in base.__dict__:
                value = base.__dict__[member]
                break
        if value is None:
            continue
        doc = getattr(value, "__doc__", "")
        if not doc or not doc.strip():
            undocumented.append(member)
    assert undocumented == []


@pytest.mark.parametrize("name", STREAM_CLASSES)
def test_stream_classes_are_documented_and_twinned(name):
    cls = getattr(pynet.stream, name)
    assert cls.__doc__
    if hasattr(cls, "write"):
        assert cls.set_default_encoding is cls.setDefaultEncoding
        assert cls.writable_length is cls.writableLength
    if hasattr(cls, "read"):
        assert cls.readable_length is cls.readableLength
        assert cls.is_paused is cls.isPaused
