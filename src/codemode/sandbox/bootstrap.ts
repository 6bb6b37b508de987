// The prelude evaluated inside QuickJS before the script. It runs first, so it captures the
// built-ins it relies on (JSON, Object.freeze, …) before the script can replace them, and it is
// the only code that sees the two host functions: the script reaches them only through `tools`
// and `console`. Everything it passes out is a string.
//
// Called as prelude(hostCall, hostLog, bindingsJson, dataJson, parallelMax, maxResultChars,
// maxLogChars); returns run(source), a promise of "V<json of the return value>" or
// "E<json of {name, message, code?, tool?, line?, limit?}>".
export const BOOTSTRAP_SOURCE = String.raw`(function (hostCall, hostLog, bindingsJson, dataJson, parallelMax, maxResultChars, maxLogChars) {
  'use strict';
  const { parse, stringify } = JSON;
  const { freeze, create, defineProperty, getOwnPropertyNames, isFrozen, getPrototypeOf } = Object;
  const isArray = Array.isArray;
  const min = Math.min;
  const toText = String;
  const AsyncFunction = getPrototypeOf(async function () {}).constructor;
  const global = globalThis;

  class ToolError extends Error {
    constructor(message, code, tool) {
      super(message);
      this.name = 'ToolError';
      this.code = code;
      this.tool = tool;
    }
  }

  const deepFreeze = (value) => {
    if (typeof value === 'object' && value !== null && !isFrozen(value)) {
      freeze(value);
      for (const key of getOwnPropertyNames(value)) deepFreeze(value[key]);
    }
    return value;
  };

  const show = (value) => {
    if (typeof value === 'string') return value;
    try {
      const json = stringify(value);
      return json === undefined ? toText(value) : json;
    } catch {
      try { return toText(value); } catch { return '[unprintable]'; }
    }
  };

  const call = async (name, args) => {
    let json;
    try {
      json = stringify(args === undefined ? {} : args);
    } catch (e) {
      throw new ToolError(name + ': the arguments are not JSON (' + show(e && e.message) + ')', 'INVALID_ARGUMENTS', name);
    }
    if (typeof json !== 'string' || json[0] !== '{') {
      throw new ToolError(name + ': the arguments must be an object', 'INVALID_ARGUMENTS', name);
    }
    const reply = parse(await hostCall(name, json));
    if (reply.ok) return reply.value;
    throw new ToolError(reply.error.message, reply.error.code, name);
  };

  const bound = create(null);
  for (const { key, name } of parse(bindingsJson)) {
    bound[key] = { [key]: (args) => call(name, args) }[key];
  }
  freeze(bound);
  // A name that is not bound (unknown, or hidden from this caller by policy) still goes to the
  // host, which refuses it with a ToolError the script can catch, instead of a bare TypeError.
  // 'then', 'toJSON' and Object.prototype's names stay undefined, so awaiting, printing or
  // inspecting tools does not turn into a tool call.
  const unforwarded = (key) => typeof key !== 'string' || key in bound || key === 'then' || key === 'toJSON' || key in {};
  const tools = new Proxy(bound, { get: (target, key) => (unforwarded(key) ? target[key] : (args) => call(key, args)) });

  // Runs functions (or awaits promises) with at most parallelMax in flight, results in order.
  // After a failure no further task starts; the first error is thrown once those running settle.
  const parallel = async (tasks) => {
    if (!isArray(tasks)) throw new TypeError('parallel() takes an array of functions (or promises)');
    const list = [...tasks];
    const results = new Array(list.length);
    let next = 0;
    let failure;
    const lane = async () => {
      while (failure === undefined && next < list.length) {
        const i = next++;
        const task = list[i];
        try {
          results[i] = await (typeof task === 'function' ? task() : task);
        } catch (e) {
          if (failure === undefined) failure = { error: e };
        }
      }
    };
    const lanes = [];
    for (let k = 0; k < min(parallelMax, list.length); k++) lanes.push(lane());
    for (const running of lanes) await running;
    if (failure !== undefined) throw failure.error;
    return results;
  };

  const log = (...args) => {
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i === 0 ? '' : ' ') + show(args[i]);
    hostLog(line.length > maxLogChars ? line.slice(0, maxLogChars) + '…' : line);
  };
  const console = freeze({ log, info: log, warn: log, error: log, debug: log });
  const data = deepFreeze(parse(dataJson));

  const define = (key, value) => defineProperty(global, key, { value, writable: false, enumerable: false, configurable: false });
  define('tools', tools);
  define('parallel', freeze(parallel));
  define('data', data);
  define('console', console);
  define('ToolError', freeze(ToolError));

  const lineOf = (stack) => {
    const match = /<input>:(\d+)/.exec(toText(stack));
    return match ? Number(match[1]) - 2 : undefined;
  };
  const describe = (e) => {
    try {
      if (e instanceof ToolError) {
        const code = typeof e.code === 'number' ? e.code : toText(e.code);
        return { name: 'ToolError', message: toText(e.message), code, tool: toText(e.tool), line: lineOf(e.stack) };
      }
      if (e instanceof Error) return { name: toText(e.name), message: toText(e.message), line: lineOf(e.stack) };
      return { name: 'Error', message: 'the script threw a value that is not an Error: ' + show(e) };
    } catch {
      return { name: 'Error', message: 'the script threw a value that cannot be described' };
    }
  };
  const fail = (e) => 'E' + stringify(describe(e));

  return async (source) => {
    let fn;
    try {
      fn = new AsyncFunction(source);
    } catch (e) {
      return fail(e);
    }
    let value;
    try {
      value = await fn();
    } catch (e) {
      return fail(e);
    }
    let json;
    try {
      json = value === undefined ? 'null' : stringify(value);
    } catch (e) {
      return fail(new TypeError('the return value is not JSON: ' + show(e && e.message)));
    }
    if (json === undefined) return fail(new TypeError('the return value is not JSON (a function or a symbol)'));
    if (json.length > maxResultChars) return 'E' + stringify({ name: 'RangeError', message: 'result too large', limit: 'maxResultSize' });
    return 'V' + json;
  };
})`;
