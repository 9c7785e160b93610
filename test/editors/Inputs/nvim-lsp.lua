-- What a Neovim user sees once their init.lua has attached a language
-- server to a C++ buffer: the diagnostics, the code actions of the first
-- pitfall diagnostic (vim.lsp.buf.code_action()), the buffer after applying
-- the quick fix. Writes them to $NVIM_LSP_OUT.
--   nvim --headless -n -i NONE -u init.lua -c "luafile nvim-lsp.lua" FILE
local out = assert(io.open(os.getenv('NVIM_LSP_OUT'), 'w'))
local function say(...)
  out:write(string.format(...), '\n')
  out:flush()
end
local function finish(status)
  out:close()
  vim.cmd((status == 0) and 'qall!' or 'cquit!')
end

local bufnr = vim.api.nvim_get_current_buf()
-- The user's init.lua attached a client to the buffer (FileType autocmd).
local client_id
vim.wait(60000, function()
  for id, _ in pairs(vim.lsp.buf_get_clients(bufnr)) do
    client_id = id
  end
  return client_id ~= nil
end, 100)
if not client_id then
  say('error: no language server attached to the buffer')
  return finish(1)
end
say('attached: %s', vim.lsp.get_client_by_id(client_id).name)

local ok = vim.wait(120000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 100)
if not ok then
  say('error: no diagnostics')
  return finish(1)
end
local diags = vim.diagnostic.get(bufnr)
table.sort(diags, function(a, b) return a.lnum < b.lnum end)
local first, first_line, first_col
local severity = { 'error', 'warning', 'information', 'hint' }
for _, d in ipairs(diags) do
  local lsp = d.user_data and d.user_data.lsp or {}
  say('%s:%d:%d: %s: %s [%s]', vim.fn.expand('%:t'), d.lnum + 1, d.col + 1,
      severity[d.severity], (d.message:gsub('\n.*', '')),
      lsp.code or d.source or '')
  if not first and lsp.code and lsp.code:match('^pitfall%-') then
    first, first_line, first_col = lsp, d.lnum, d.col
  end
end
if not first then
  say('error: no pitfall diagnostic')
  return finish(1)
end

-- What vim.lsp.buf.code_action() sends with the cursor on that diagnostic.
vim.api.nvim_win_set_cursor(0, { first_line + 1, first_col })
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics() }
local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction',
                                         params, 60000) or {}
local applied = false
for _, reply in pairs(replies) do
  for _, action in ipairs(reply.result or {}) do
    say('code action (%s): %s', action.kind or '-', action.title)
    if action.edit and not applied then
      local client = vim.lsp.get_client_by_id(client_id)
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = true
    end
  end
end
for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  say('after %d: %s', i, line)
end
vim.lsp.stop_client(client_id)
finish(0)
