-- Counts a batch of responses atomically, each deduplicated by (survey, response id).
-- ARGV[1] key prefix, ARGV[2] free-text answers kept per survey, ARGV[3] how long free
-- text is kept (ms; the list expires that long after its newest answer), ARGV[4] a JSON
-- array of one object per response (see redis-store.ts toScriptItem; one argument rather than
-- one per response: fewer writes on the client's socket). Returns 1 (accepted) or
-- 0 (duplicate) per response, in order.
-- Keys are built here from the prefix: this targets a single Redis server, not a cluster.
--
-- A batch's responses mostly touch the same few fields (total, areas, channels, hour, minute),
-- so integer increments are summed here and applied once per field, and the "last" field,
-- the pruning of old minute buckets and the trimming of texts run once per key: this cut
-- Redis's CPU per response by more than half (see bench/). Index sums stay one
-- HINCRBYFLOAT per response, so their floating-point results are exactly as before.
local prefix = ARGV[1]
local text_limit = tonumber(ARGV[2])
local text_retention_ms = ARGV[3]
local minute_window_ms = 61 * 60000
-- Per-area hour buckets (the pace per area) are kept for 73 hours; see AREA_HOURS_KEPT_MS.
local area_hours_ms = 73 * 3600000
local area_prune_before = {} -- areahours key -> oldest hour to keep (ms)
local areahours_in_order = {}
local results = {}
local increments = {} -- key -> field -> integer
local keys_in_order = {} -- keys of `increments`, in first-touched order (deterministic writes)
local newest = {} -- counts key -> { at = newest receivedAt (ms), text = as sent }
local counts_in_order = {}
local prune_before = {} -- recent key -> oldest minute to keep (ms)
local recent_in_order = {}
local texts_touched = {} -- texts keys, in first-touched order
local texts_seen = {}

local function increment(key, field, by)
  local fields = increments[key]
  if not fields then
    fields = { order = {}, n = {} }
    increments[key] = fields
    keys_in_order[#keys_in_order + 1] = key
  end
  if not fields.n[field] then
    fields.n[field] = 0
    fields.order[#fields.order + 1] = field
  end
  fields.n[field] = fields.n[field] + by
end

for _, r in ipairs(cjson.decode(ARGV[4])) do
  local base = prefix .. 's:' .. r.s .. ':'
  if redis.call('SADD', base .. 'seen', r.r) == 0 then
    results[#results + 1] = 0
  else
    local counts = base .. 'counts'
    increment(counts, 'total', 1)
    increment(counts, 'area:' .. r.a, 1)
    increment(counts, 'channel:' .. r.c, 1)
    increment(counts, 'hour:' .. r.h, 1)
    for _, index in ipairs(r.i) do
      local field = 'index:' .. index[1] .. ':' .. r.a
      redis.call('HINCRBYFLOAT', counts, field .. ':sum', index[2])
      increment(counts, field .. ':n', 1)
    end
    local received = tonumber(r.t)
    increment(counts, 'areachannel:' .. r.a .. ':' .. r.c, 1)
    local area_cutoff = received - area_hours_ms
    if tonumber(r.h) >= area_cutoff then
      local areahours = base .. 'areahours'
      increment(areahours, r.a .. ':' .. r.h, 1)
      if not area_prune_before[areahours] then areahours_in_order[#areahours_in_order + 1] = areahours end
      if not area_prune_before[areahours] or area_cutoff > area_prune_before[areahours] then area_prune_before[areahours] = area_cutoff end
    end
    if not newest[counts] then counts_in_order[#counts_in_order + 1] = counts end
    if not newest[counts] or received > newest[counts].at then newest[counts] = { at = received, text = r.t } end
    if r.m ~= '' then
      local recent = base .. 'recent'
      increment(recent, r.m, 1)
      local cutoff = received - minute_window_ms
      if not prune_before[recent] then recent_in_order[#recent_in_order + 1] = recent end
      if not prune_before[recent] or cutoff > prune_before[recent] then prune_before[recent] = cutoff end
    end
    if #r.x > 0 then
      local texts = base .. 'texts'
      for _, text in ipairs(r.x) do redis.call('LPUSH', texts, text) end
      if not texts_seen[texts] then
        texts_seen[texts] = true
        texts_touched[#texts_touched + 1] = texts
      end
    end
    results[#results + 1] = 1
  end
end

for _, key in ipairs(keys_in_order) do
  local fields = increments[key]
  for _, field in ipairs(fields.order) do redis.call('HINCRBY', key, field, fields.n[field]) end
end
for _, counts in ipairs(counts_in_order) do
  local last = tonumber(redis.call('HGET', counts, 'last') or '0')
  if newest[counts].at > last then redis.call('HSET', counts, 'last', newest[counts].text) end
end
-- Keep only the last hour of minute buckets so the hash stays small.
for _, recent in ipairs(recent_in_order) do
  local cutoff = prune_before[recent]
  for _, minute in ipairs(redis.call('HKEYS', recent)) do
    if tonumber(minute) < cutoff then redis.call('HDEL', recent, minute) end
  end
end
-- Per-area hours: pruned once per hour (the "pruned" field remembers up to which hour), not per batch.
for _, areahours in ipairs(areahours_in_order) do
  local cutoff = math.floor(area_prune_before[areahours] / 3600000) * 3600000
  local pruned = tonumber(redis.call('HGET', areahours, 'pruned') or '0')
  if cutoff > pruned then
    for _, field in ipairs(redis.call('HKEYS', areahours)) do
      local hour = tonumber(string.match(field, ':(%d+)$'))
      if hour and hour < cutoff then redis.call('HDEL', areahours, field) end
    end
    redis.call('HSET', areahours, 'pruned', string.format('%d', cutoff))
  end
end
for _, texts in ipairs(texts_touched) do
  redis.call('LTRIM', texts, 0, text_limit - 1)
  redis.call('PEXPIRE', texts, text_retention_ms)
end
return results
