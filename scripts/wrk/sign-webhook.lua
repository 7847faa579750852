-- wrk script: POSTs Standard Webhooks signed `generic` requests, each one unique, and counts every response that
-- is not 202 (a benchmark of 401s would be worthless).
--
-- Environment:
--   BENCH_WEBHOOK_SECRET  the endpoint's `whsec_<base64>` secret (required)
--   BENCH_RUN_TAG         text put into every webhook-id so two runs against one database never repeat an id
--                         (default: the current time)
--   BENCH_THREADS         how many distinct conversation threads the bodies cycle through (default 4096)
--   BENCH_EXPECT_STATUS   the status every response must have (default 202; the bare route answers 202 too)
--
-- The bare-route run uses this same script: the bare route ignores the signature headers, so both runs send the
-- same kind of requests and pay the same client cost, and only the server side differs.
--
-- Signing happens here, per request, in Lua: LuaJIT's `bit` library is enough for SHA-256, and with the HMAC key's
-- inner and outer pads hashed once at start a signature costs three SHA-256 blocks (about 100-byte messages), a few
-- microseconds of client CPU, far below what one request costs the server. Pre-generated requests would need a file
-- of hundreds of thousands of requests per run (webhook ids must not repeat) and give up the live timestamp.
--
-- At start every wrk thread checks its SHA-256, HMAC and base64 against the Standard Webhooks reference vector
-- (../shared/testdata/webhooks/standard-webhooks.json, copied below) and stops if they disagree.
--
-- When wrk finishes, `done` prints one machine-readable line, which scripts/bench-webhooks.sh reads:
--   BENCH requests=<n> seconds=<s> rps=<r> p50_ms=<ms> p90_ms=<ms> p99_ms=<ms> max_ms=<ms> unexpected=<n>
--         socket_errors=<n> statuses=<status:count,...>

local bit = require("bit")
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local rshift, lshift, ror, tobit = bit.rshift, bit.lshift, bit.ror, bit.tobit
local byte, char, concat = string.byte, string.char, table.concat

-- SHA-256 (FIPS 180-4) -----------------------------------------------------------------------------------------

local K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
for i = 1, 64 do K[i] = tobit(K[i]) end

local INITIAL = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }
for i = 1, 8 do INITIAL[i] = tobit(INITIAL[i]) end

local W = {}

-- Mixes the 64-byte block of `message` starting at byte `offset` (1-based) into the eight-word state `h`.
local function compress(h, message, offset)
    for i = 1, 16 do
        local b1, b2, b3, b4 = byte(message, offset + (i - 1) * 4, offset + (i - 1) * 4 + 3)
        W[i] = bor(lshift(b1, 24), lshift(b2, 16), lshift(b3, 8), b4)
    end
    for i = 17, 64 do
        local w15, w2 = W[i - 15], W[i - 2]
        local s0 = bxor(ror(w15, 7), ror(w15, 18), rshift(w15, 3))
        local s1 = bxor(ror(w2, 17), ror(w2, 19), rshift(w2, 10))
        W[i] = tobit(W[i - 16] + s0 + W[i - 7] + s1)
    end
    local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
    for i = 1, 64 do
        local s1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
        local ch = bxor(band(e, f), band(bnot(e), g))
        local t1 = hh + s1 + ch + K[i] + W[i]
        local s0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
        local maj = bxor(band(a, b), band(a, c), band(b, c))
        hh, g, f, e = g, f, e, tobit(d + t1)
        d, c, b, a = c, b, a, tobit(t1 + s0 + maj)
    end
    h[1], h[2], h[3], h[4] = tobit(h[1] + a), tobit(h[2] + b), tobit(h[3] + c), tobit(h[4] + d)
    h[5], h[6], h[7], h[8] = tobit(h[5] + e), tobit(h[6] + f), tobit(h[7] + g), tobit(h[8] + hh)
end

local function word_bytes(w)
    return char(band(rshift(w, 24), 0xff), band(rshift(w, 16), 0xff), band(rshift(w, 8), 0xff), band(w, 0xff))
end

-- Hashes `message` on top of `state` (a copy is made), which has already absorbed `prefix_length` bytes (a whole
-- number of blocks); returns the 32-byte digest.
local function sha256_from(state, prefix_length, message)
    local h = { state[1], state[2], state[3], state[4], state[5], state[6], state[7], state[8] }
    local bits = (prefix_length + #message) * 8
    local zeros = (55 - #message) % 64
    local padded = message .. "\128" .. string.rep("\0", zeros)
        .. word_bytes(math.floor(bits / 4294967296)) .. word_bytes(tobit(bits % 4294967296))
    for offset = 1, #padded, 64 do compress(h, padded, offset) end
    local out = {}
    for i = 1, 8 do out[i] = word_bytes(h[i]) end
    return concat(out)
end

local function sha256(message)
    return sha256_from(INITIAL, 0, message)
end

-- HMAC-SHA256 with the pads absorbed once ------------------------------------------------------------------------

local function hmac_key(key)
    if #key > 64 then key = sha256(key) end
    key = key .. string.rep("\0", 64 - #key)
    local inner, outer = {}, {}
    for i = 1, 64 do
        local k = byte(key, i)
        inner[i] = char(bxor(k, 0x36))
        outer[i] = char(bxor(k, 0x5c))
    end
    local istate, ostate = { unpack(INITIAL) }, { unpack(INITIAL) }
    compress(istate, concat(inner), 1)
    compress(ostate, concat(outer), 1)
    return { inner = istate, outer = ostate }
end

local function hmac(prepared, message)
    return sha256_from(prepared.outer, 64, sha256_from(prepared.inner, 64, message))
end

-- Base64 ------------------------------------------------------------------------------------------------------------

local ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local ENCODE, DECODE = {}, {}
for i = 1, 64 do
    ENCODE[i - 1] = ALPHABET:sub(i, i)
    DECODE[byte(ALPHABET, i)] = i - 1
end

local function base64_encode(data)
    local out = {}
    for i = 1, #data, 3 do
        local b1, b2, b3 = byte(data, i, i + 2)
        local n = bor(lshift(b1, 16), lshift(b2 or 0, 8), b3 or 0)
        out[#out + 1] = ENCODE[rshift(n, 18)] .. ENCODE[band(rshift(n, 12), 63)]
            .. (b2 and ENCODE[band(rshift(n, 6), 63)] or "=") .. (b3 and ENCODE[band(n, 63)] or "=")
    end
    return concat(out)
end

local function base64_decode(text)
    text = text:gsub("=+$", "")
    local out, n, bits = {}, 0, 0
    for i = 1, #text do
        local value = DECODE[byte(text, i)]
        if value == nil then error("invalid base64 in webhook secret") end
        n, bits = bor(lshift(n, 6), value), bits + 6
        if bits >= 8 then
            bits = bits - 8
            out[#out + 1] = char(band(rshift(n, bits), 0xff))
        end
    end
    return concat(out)
end

-- Standard Webhooks -----------------------------------------------------------------------------------------------

local function signer(secret)
    assert(secret and secret:sub(1, 6) == "whsec_", "BENCH_WEBHOOK_SECRET must be a whsec_<base64> secret")
    local key = hmac_key(base64_decode(secret:sub(7)))
    return function(id, timestamp, body)
        return "v1," .. base64_encode(hmac(key, id .. "." .. timestamp .. "." .. body))
    end
end

-- The reference vector from the Standard Webhooks specification, plus SHA-256 test values from FIPS 180-4
-- (one block, two blocks, and a message whose padding needs an extra block).
local function self_test()
    local checks = {
        { sha256(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
        { sha256("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" },
        { sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=" },
    }
    for index, check in ipairs(checks) do
        local got = base64_encode(check[1])
        if got ~= check[2] then error("SHA-256 self-test " .. index .. " failed: " .. got) end
    end
    local sign = signer("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    local got = sign("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", '{"test": 2432232314}')
    if got ~= "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" then
        error("Standard Webhooks reference vector failed: " .. got)
    end
end

-- wrk hooks -------------------------------------------------------------------------------------------------------

local threads = {}
local created = 0

-- Runs in wrk's main state once per thread: numbers the threads so their webhook ids never collide.
function setup(thread)
    created = created + 1
    thread:set("thread_number", created)
    table.insert(threads, thread)
end

-- Per-thread globals (read back by `done` through thread:get).
unexpected = 0
statuses = {}

local sign
local expected_status = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "202")
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "4096")
local run_tag = os.getenv("BENCH_RUN_TAG") or tostring(os.time())
local id_prefix
local counter = 0
local path, method = "/", "POST"

function init(args)
    self_test()
    sign = signer(os.getenv("BENCH_WEBHOOK_SECRET"))
    id_prefix = "msg_bench_" .. run_tag .. "_" .. tostring(thread_number) .. "_"
    path = wrk.path
    -- Different per thread, so threads start on different conversation threads.
    counter = (thread_number or 0) * 7919
end

function request()
    counter = counter + 1
    local id = id_prefix .. counter
    local body = '{"thread":"bench-' .. (counter % thread_count) .. '","user":"load","text":"ping"}'
    local timestamp = tostring(os.time())
    local headers = {
        ["Content-Type"] = "application/json",
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp,
        ["webhook-signature"] = sign(id, timestamp, body),
    }
    return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
    if status ~= expected_status then
        unexpected = unexpected + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
end

function done(summary, latency, requests)
    local unexpected_total, by_status = 0, {}
    for _, thread in ipairs(threads) do
        unexpected_total = unexpected_total + thread:get("unexpected")
        for status, count in pairs(thread:get("statuses")) do
            by_status[status] = (by_status[status] or 0) + count
        end
    end
    local listed = {}
    for status, count in pairs(by_status) do listed[#listed + 1] = status .. ":" .. count end
    table.sort(listed)
    local errors = summary.errors
    local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "BENCH requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f unexpected=%d "
            .. "socket_errors=%d statuses=%s\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, unexpected_total, socket_errors, #listed > 0 and concat(listed, ",") or "none"))
end
