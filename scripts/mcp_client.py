#!/usr/bin/env python3
"""Drives msgcore's MCP server with the official MCP Python SDK (`pip install mcp`),
a client nobody on the project wrote, for tests/mcp.rs.

    mcp_client.py stdio PLAN COMMAND [ARG...]   # spawns COMMAND; its key in MSGCORE_API_KEY
    mcp_client.py http PLAN URL KEY             # Streamable HTTP, `Authorization: Bearer KEY`

PLAN is JSON: a list of {"tool": name, "arguments": {...}} to call in order.
Prints one JSON object: {"tools": [{"name", "inputSchema"}...], "calls": [{"isError",
"structured", "text"}...]}, or {"refused": "<why>"} when the session could not be
opened or a request was refused at the transport. Exits 3 when the mcp package
is missing, so that the caller can say what to install.
"""

import json
import os
import sys

try:
    import anyio
    import httpx2
    from mcp import ClientSession, StdioServerParameters, stdio_client
    from mcp.client.streamable_http import streamable_http_client
except ImportError as missing:
    print(f"the MCP Python SDK is missing: {missing}", file=sys.stderr)
    sys.exit(3)

TIMEOUT_SECONDS = 60


async def run_plan(session, plan):
    await session.initialize()
    listed = await session.list_tools()
    tools = [{"name": tool.name, "inputSchema": tool.input_schema} for tool in listed.tools]
    calls = []
    for step in plan:
        result = await session.call_tool(step["tool"], step.get("arguments", {}))
        text = "".join(block.text for block in result.content if getattr(block, "text", None))
        calls.append(
            {"isError": bool(result.is_error), "structured": result.structured_content, "text": text}
        )
    return {"tools": tools, "calls": calls}


async def over_stdio(plan, command, args):
    # The server inherits MSGCORE_API_KEY and the rest of the caller's environment.
    params = StdioServerParameters(command=command, args=args, env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            return await run_plan(session, plan)


async def over_http(plan, url, key):
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx2.AsyncClient(headers=headers, timeout=TIMEOUT_SECONDS) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                return await run_plan(session, plan)


def why(error):
    """The innermost messages of an exception (anyio wraps them in groups)."""
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(why(inner) for inner in error.exceptions)
    return f"{type(error).__name__}: {error}"


async def main(argv):
    transport, plan, *rest = argv
    plan = json.loads(plan)
    try:
        with anyio.fail_after(TIMEOUT_SECONDS):
            if transport == "stdio":
                report = await over_stdio(plan, rest[0], rest[1:])
            elif transport == "http":
                report = await over_http(plan, rest[0], rest[1])
            else:
                raise SystemExit(f"unknown transport {transport!r}; use stdio or http")
    except Exception as error:  # any failure to open or use the session is a refusal to report
        report = {"refused": why(error)}
    print(json.dumps(report))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    anyio.run(main, sys.argv[1:])
