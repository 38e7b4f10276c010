-- Counts a batch of responses atomically, each deduplicated by (survey, response id).
-- ARGV[1] key prefix, ARGV[2] free-text answers kept per survey, ARGV[3] how long free
-- text is kept (ms; the list expires that long after its newest answer), ARGV[4..] one JSON
-- object per response (see redis-store.ts toScriptItem). Returns 1 (accepted) or
-- 0 (duplicate) per response, in order.
-- Keys are built here from the prefix: this targets a single Redis server, not a cluster.
local prefix = ARGV[1]
local text_limit = tonumber(ARGV[2])
local text_retention_ms = ARGV[3]
local minute_window_ms = 61 * 60000
local results = {}
for i = 4, #ARGV do
  local r = cjson.decode(ARGV[i])
  local base = prefix .. 's:' .. r.s .. ':'
  if redis.call('SADD', base .. 'seen', r.r) == 0 then
    results[#results + 1] = 0
  else
    local counts = base .. 'counts'
    redis.call('HINCRBY', counts, 'total', 1)
    redis.call('HINCRBY', counts, 'area:' .. r.a, 1)
    redis.call('HINCRBY', counts, 'channel:' .. r.c, 1)
    redis.call('HINCRBY', counts, 'hour:' .. r.h, 1)
    for _, index in ipairs(r.i) do
      local field = 'index:' .. index[1] .. ':' .. r.a
      redis.call('HINCRBYFLOAT', counts, field .. ':sum', index[2])
      redis.call('HINCRBY', counts, field .. ':n', 1)
    end
    local last = tonumber(redis.call('HGET', counts, 'last') or '0')
    if tonumber(r.t) > last then redis.call('HSET', counts, 'last', r.t) end
    if r.m ~= '' then
      local recent = base .. 'recent'
      redis.call('HINCRBY', recent, r.m, 1)
      -- Keep only the last hour of minute buckets so the hash stays small.
      local cutoff = tonumber(r.t) - minute_window_ms
      for _, minute in ipairs(redis.call('HKEYS', recent)) do
        if tonumber(minute) < cutoff then redis.call('HDEL', recent, minute) end
      end
    end
    if #r.x > 0 then
      local texts = base .. 'texts'
      for _, text in ipairs(r.x) do redis.call('LPUSH', texts, text) end
      redis.call('LTRIM', texts, 0, text_limit - 1)
      redis.call('PEXPIRE', texts, text_retention_ms)
    end
    results[#results + 1] = 1
  end
end
return results
