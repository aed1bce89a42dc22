-- Neovim's built-in LSP client on corotidy-clangd (Neovim 0.7 API): open the
-- file named by $LSP_FILE, wait for its diagnostics, write one line per
-- diagnostic to $LSP_OUT, quit. The server command is $LSP_SERVER.
local file = os.getenv('LSP_FILE')
local out = assert(io.open(os.getenv('LSP_OUT'), 'w'))
local received = nil

local client = vim.lsp.start_client({
  cmd = { os.getenv('LSP_SERVER'), '--background-index=false' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, result)
      if #result.diagnostics > 0 then received = result.diagnostics end
    end,
  },
})
if not client then
  out:write('could not start the server\n')
  out:close()
  vim.cmd('qall!')
end

vim.cmd('edit ' .. file)
vim.bo.filetype = 'cpp'
vim.lsp.buf_attach_client(0, client)

local timeout = tonumber(os.getenv('LSP_TIMEOUT') or '120000')
if not vim.wait(timeout, function() return received ~= nil end, 100) then
  out:write('no diagnostics within ' .. timeout .. ' ms\n')
else
  table.sort(received, function(a, b) return a.range.start.line < b.range.start.line end)
  for _, d in ipairs(received) do
    out:write(string.format('%d:%d %s %s\n', d.range.start.line + 1,
      d.range.start.character + 1, tostring(d.code), d.message))
  end
end
out:close()
vim.lsp.stop_client(client)
vim.cmd('qall!')
