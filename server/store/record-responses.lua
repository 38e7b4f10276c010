-- Counts a batch of responses of ONE survey atomically, each deduplicated by its response id.
-- KEYS: the survey's seen, counts, recent, texts, areahours and hourly keys (one hash slot: they share
-- the tag {surveyId}, so the script runs on a Redis Cluster too).
-- ARGV[1] free-text answers kept per survey, ARGV[2] how long free text is kept (ms; the list
-- expires that long after its newest answer), ARGV[3] a JSON array of one object per response
-- (see redis-store.ts toScriptItem; one argument rather than one per response: fewer writes on
-- the client's socket). Returns per response, in order: 1 (accepted), 0 (duplicate) or -1
-- (refused: a value no store can count, or of another survey; nothing written).
--
-- Two phases. The first only reads: it checks every item, asks SISMEMBER, and computes every
-- write. The second writes, and marks responses seen last of all. A response is therefore never
-- "seen" without being counted: an error or a SCRIPT KILL (Redis allows it only before the first
-- write) leaves nothing behind, and the sender's retry is counted instead of being "duplicate".
--
-- A batch's responses mostly touch the same few fields (total, areas, channels, hour, minute),
-- so integer increments are summed and applied once per field, and the "last" field, the pruning
-- of old minute buckets and the trimming of texts run once per key: this cut Redis's CPU per
-- response by more than half (see bench/).
--
-- Index values: per area (index:<i>:<area>:*) and for the survey (sindex:<i>:*), the running sum
-- and n, and the sum and n last published (psum, pn). Same rule as response-store.ts
-- publishIndexStep: after adding a value, when n >= pn + step, psum and pn take sum and n.
local seen, counts, recent, texts, areahours, hourly = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local text_limit = tonumber(ARGV[1])
local text_retention_ms = ARGV[2]
local survey_id = nil -- the batch's survey: the first valid item's
local minute_window_ms = 61 * 60000
-- Per-area hour buckets (the pace per area) are kept for 73 hours; see AREA_HOURS_KEPT_MS.
local area_hours_ms = 73 * 3600000
local area_prune_before = {} -- areahours key -> oldest hour to keep (ms)
local areahours_in_order = {}
local results = {}

-- Phase 1 state: everything phase 2 will write.
local increments = {} -- key -> { order = {fields}, n = {field -> integer} }
local keys_in_order = {}
local index_state = {} -- counts key -> field base -> { sum, n, psum, pn } (read once, then updated here)
local index_order = {} -- { key, base } in first-touched order
local newest = {} -- counts key -> { at = newest receivedAt (ms), text = as sent }
local counts_in_order = {}
local prune_before = {} -- recent key -> oldest minute to keep (ms)
local recent_in_order = {}
local texts_to_push = {} -- texts key -> list of JSON, oldest first
local texts_in_order = {}
local seen_to_add = {} -- seen key -> list of response ids
local seen_in_order = {}
local seen_in_batch = {} -- response id -> true

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

local function append(lists, order, key, value)
  local list = lists[key]
  if not list then
    list = {}
    lists[key] = list
    order[#order + 1] = key
  end
  list[#list + 1] = value
end

local function index_sum(counts, base)
  local per_key = index_state[counts]
  if not per_key then
    per_key = {}
    index_state[counts] = per_key
  end
  local state = per_key[base]
  if not state then
    local stored = redis.call('HMGET', counts, base .. ':sum', base .. ':n', base .. ':psum', base .. ':pn')
    state = {
      sum = tonumber(stored[1] or '0') or 0,
      n = tonumber(stored[2] or '0') or 0,
      psum = tonumber(stored[3] or '0') or 0,
      pn = tonumber(stored[4] or '0') or 0,
    }
    -- Counts kept before survey-wide sums existed: start from the sum of its areas' sums, once.
    if not stored[2] and string.sub(base, 1, 7) == 'sindex:' then
      local area_fields = 'index:' .. string.sub(base, 8) .. ':'
      local all = redis.call('HGETALL', counts)
      for i = 1, #all, 2 do
        if string.sub(all[i], 1, #area_fields) == area_fields then
          local which = string.match(all[i], ':(%a+)$')
          if which == 'sum' then state.sum = state.sum + (tonumber(all[i + 1]) or 0) end
          if which == 'n' then state.n = state.n + (tonumber(all[i + 1]) or 0) end
        end
      end
    end
    per_key[base] = state
    index_order[#index_order + 1] = { counts, base }
  end
  return state
end

local function publish_step(state, value, step)
  state.sum = state.sum + value
  state.n = state.n + 1
  if state.n >= state.pn + step then
    state.psum = state.sum
    state.pn = state.n
  end
end

local function is_id(value)
  return type(value) == 'string' and value ~= '' and not string.find(value, ':', 1, true)
end

local function is_integer_text(value)
  return type(value) == 'string' and string.match(value, '^%-?%d+$') ~= nil
end

-- A finite number (cjson hands NaN and infinities through as numbers; tonumber takes 'nan' and 'inf').
local function finite(text)
  local value = type(text) == 'string' and tonumber(text) or nil
  if value == nil or value ~= value or value == math.huge or value == -math.huge then return nil end
  return value
end

local function valid(r)
  if type(r) ~= 'table' or not is_id(r.s) or type(r.r) ~= 'string' or r.r == '' then return false end
  if not is_id(r.a) or not is_id(r.c) or not is_integer_text(r.h) or not is_integer_text(r.t) then return false end
  if r.m ~= '' and not is_integer_text(r.m) then return false end
  if type(r.k) ~= 'number' or r.k < 1 or r.k % 1 ~= 0 then return false end
  if type(r.i) ~= 'table' or type(r.x) ~= 'table' then return false end
  for _, index in ipairs(r.i) do
    if type(index) ~= 'table' or not is_id(index[1]) or finite(index[2]) == nil then return false end
  end
  for _, text in ipairs(r.x) do
    if type(text) ~= 'string' then return false end
  end
  return true
end

-- Phase 1: reads and computation only.
for _, r in ipairs(cjson.decode(ARGV[3])) do
  if valid(r) and not survey_id then survey_id = r.s end
  if not valid(r) or r.s ~= survey_id then
    results[#results + 1] = -1
  else
    local in_batch = r.r
    if seen_in_batch[in_batch] or redis.call('SISMEMBER', seen, r.r) == 1 then
      results[#results + 1] = 0
    else
      seen_in_batch[in_batch] = true
      append(seen_to_add, seen_in_order, seen, r.r)
      increment(counts, 'total', 1)
      increment(counts, 'area:' .. r.a, 1)
      increment(counts, 'channel:' .. r.c, 1)
      increment(counts, 'hour:' .. r.h, 1)
      for _, index in ipairs(r.i) do
        local value = finite(index[2])
        publish_step(index_sum(counts, 'index:' .. index[1] .. ':' .. r.a), value, r.k)
        publish_step(index_sum(counts, 'sindex:' .. index[1]), value, r.k)
      end
      local received = tonumber(r.t)
      increment(counts, 'areachannel:' .. r.a .. ':' .. r.c, 1)
      -- The whole life per area and hour (ResponseStore.hourlyByArea): never pruned, never read by snapshots.
      increment(hourly, r.a .. ':' .. r.h, 1)
      local area_cutoff = received - area_hours_ms
      if tonumber(r.h) >= area_cutoff then
        increment(areahours, r.a .. ':' .. r.h, 1)
        if not area_prune_before[areahours] then areahours_in_order[#areahours_in_order + 1] = areahours end
        if not area_prune_before[areahours] or area_cutoff > area_prune_before[areahours] then area_prune_before[areahours] = area_cutoff end
      end
      if not newest[counts] then counts_in_order[#counts_in_order + 1] = counts end
      if not newest[counts] or received > newest[counts].at then newest[counts] = { at = received, text = r.t } end
      if r.m ~= '' then
        increment(recent, r.m, 1)
        local cutoff = received - minute_window_ms
        if not prune_before[recent] then recent_in_order[#recent_in_order + 1] = recent end
        if not prune_before[recent] or cutoff > prune_before[recent] then prune_before[recent] = cutoff end
      end
      for _, text in ipairs(r.x) do append(texts_to_push, texts_in_order, texts, text) end
      results[#results + 1] = 1
    end
  end
end

-- Phase 2: writes. Sums travel as %.17g, which gives back the same double when read.
local function number_text(value)
  return string.format('%.17g', value)
end

-- One command per 500 values: unpack of a long list would overflow Lua's stack.
local function call_with_values(command, key, values)
  for first = 1, #values, 500 do
    redis.call(command, key, unpack(values, first, math.min(first + 499, #values)))
  end
end

for _, key in ipairs(keys_in_order) do
  local fields = increments[key]
  for _, field in ipairs(fields.order) do redis.call('HINCRBY', key, field, fields.n[field]) end
end
for _, entry in ipairs(index_order) do
  local key, base = entry[1], entry[2]
  local state = index_state[key][base]
  redis.call('HSET', key, base .. ':sum', number_text(state.sum), base .. ':n', state.n,
    base .. ':psum', number_text(state.psum), base .. ':pn', state.pn)
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
for _, texts in ipairs(texts_in_order) do
  call_with_values('LPUSH', texts, texts_to_push[texts])
  redis.call('LTRIM', texts, 0, text_limit - 1)
  redis.call('PEXPIRE', texts, text_retention_ms)
end
-- Last: only a response whose every count is written is marked seen.
for _, seen in ipairs(seen_in_order) do call_with_values('SADD', seen, seen_to_add[seen]) end
return results
