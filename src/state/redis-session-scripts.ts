// The Lua scripts behind RedisSessionStore: each keeps a record and its two indexes (every
// session, and the sessions of one quota key; sorted sets scored by expiry time) consistent in
// one round trip. A record that never finished its handshake keeps its short TTL until it does.
// The quota index's key is read from the record, so these scripts assume one Redis (not Cluster).

/** KEYS: record, all, quota. ARGV: json, ttlMs, now, id. */
export const CREATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local exp = tonumber(ARGV[3]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], exp, ARGV[4])
redis.call('ZADD', KEYS[3], exp, ARGV[4])
return 1`;

/** Get and slide. KEYS: record, all. ARGV: ttlMs, now, id, quotaPrefix. Returns the record or false. */
export const TOUCH = `
local v = redis.call('GET', KEYS[1])
if not v then return false end
local r = cjson.decode(v)
if r.initialized then
  local exp = tonumber(ARGV[2]) + tonumber(ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], 'XX', exp, ARGV[3])
  redis.call('ZADD', ARGV[4] .. r.quotaKey, 'XX', exp, ARGV[3])
end
return v`;

/** Save a changed record if it still exists. KEYS: record, all, quota. ARGV: json, ttlMs, now, id, initialized. */
export const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[5] == '1' then
  local exp = tonumber(ARGV[3]) + tonumber(ARGV[2])
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZADD', KEYS[2], 'XX', exp, ARGV[4])
  redis.call('ZADD', KEYS[3], 'XX', exp, ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
end
return 1`;

/** KEYS: record, all. ARGV: id, quotaPrefix. */
export const DELETE = `
local v = redis.call('GET', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if not v then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[2] .. cjson.decode(v).quotaKey, ARGV[1])
return 1`;

/** Live members of an index (expired ones trimmed first). KEYS: index. ARGV: now. */
export const COUNT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])`;

/** Put back a record Redis lost (restarted without persistence) unless it exists. KEYS, ARGV: as CREATE. */
export const RESTORE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
local exp = tonumber(ARGV[3]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], exp, ARGV[4])
redis.call('ZADD', KEYS[3], exp, ARGV[4])
return 1`;
