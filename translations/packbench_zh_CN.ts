<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Packbench</source>
        <translation>关于 Packbench</translation>
    </message>
    <message>
        <source>Packbench {version}</source>
        <translation>Packbench {version}</translation>
    </message>
    <message>
        <source>Free software under the MIT licence.</source>
        <translation>自由软件，采用 MIT 许可证。</translation>
    </message>
    <message>
        <source>Built with Qt {qt}:</source>
        <translation>基于 Qt {qt} 构建：</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Third-party notices</source>
        <translation>第三方声明</translation>
    </message>
</context>
<context>
    <name>ActionsSection</name>
    <message>
        <source>Restart, shut down, factory reset</source>
        <translation>重启、关机、恢复出厂设置</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Before (backup)</source>
        <translation>之前（备份）</translation>
    </message>
    <message>
        <source>Now (read back)</source>
        <translation>现在（读回）</translation>
    </message>
    <message>
        <source>{family} has no restart, shutdown or factory-reset command that Packbench knows (none is documented for it), so none is offered.</source>
        <translation>{family} 没有 Packbench 已知的重启、关机或恢复出厂设置命令（均无文档记录），因此不提供这些操作。</translation>
    </message>
    <message>
        <source>Each one asks first and says what happens to the pack. A factory reset saves a backup first.</source>
        <translation>每项操作都会先询问，并说明对电池组的影响。恢复出厂设置前会先保存备份。</translation>
    </message>
    <message>
        <source>Packbench checks the password, saves all the board&apos;s settings to a backup in {folder}, sends the reset and shows the settings the board has afterwards.</source>
        <translation>Packbench 会核对密码，将保护板的全部参数备份到 {folder}，发送恢复出厂设置命令，并显示保护板之后的参数。</translation>
    </message>
    <message>
        <source>The connection drops when the board switches off.</source>
        <translation>保护板关机时连接会断开。</translation>
    </message>
    <message>
        <source>Packbench checks the password, sends the command and reads the settings back once the board answers again.</source>
        <translation>Packbench 会核对密码、发送命令，并在保护板重新应答后读回参数。</translation>
    </message>
    <message>
        <source>Restart the board?</source>
        <translation>重启保护板？</translation>
    </message>
    <message>
        <source>Shut the board down?</source>
        <translation>让保护板关机？</translation>
    </message>
    <message>
        <source>Reset the board to its factory settings?</source>
        <translation>将保护板恢复出厂设置？</translation>
    </message>
    <message>
        <source>Saving a backup, sending the reset, waiting for the board …</source>
        <translation>正在保存备份、发送恢复出厂设置命令、等待保护板 …</translation>
    </message>
    <message>
        <source>Sending, waiting for the board …</source>
        <translation>正在发送，等待保护板 …</translation>
    </message>
    <message>
        <source>Backup saved to {path}</source>
        <translation>备份已保存到 {path}</translation>
    </message>
    <message>
        <source>Sent. This board answers commands with nothing, so Packbench cannot tell whether it switched off.</source>
        <translation>已发送。此保护板对命令不作任何应答，因此 Packbench 无法判断它是否已关机。</translation>
    </message>
    <message>
        <source>Refused: the board did not acknowledge “{name}”. Nothing happened.</source>
        <translation>被拒绝：保护板未确认“{name}”。未执行任何操作。</translation>
    </message>
    <message>
        <source>The board acknowledged and is switching off. It wakes when a charger is connected or its button is pressed.</source>
        <translation>保护板已确认，正在关机。连接充电器或按下其按键后即可唤醒。</translation>
    </message>
    <message>
        <source>The board acknowledged “{name}” but has not answered since. Reconnect and check its settings.</source>
        <translation>保护板已确认“{name}”，但此后没有再应答。请重新连接并检查其参数。</translation>
    </message>
    <message>
        <source>“{name}” was sent, but the board (which acknowledges nothing) has not answered since. Reconnect and check its settings.</source>
        <translation>已发送“{name}”，但保护板（它不确认任何命令）此后没有再应答。请重新连接并检查其设置。</translation>
    </message>
    <message>
        <source>Done: the board reset itself and answers again. Its settings now are shown below: check every protection value before using the pack.</source>
        <translation>完成：保护板已自行复位并重新应答。其当前参数显示如下：使用电池组前请检查每一项保护值。</translation>
    </message>
    <message>
        <source>Done: the board acknowledged “{name}” and answers again.</source>
        <translation>完成：保护板已确认“{name}”并重新应答。</translation>
    </message>
    <message>
        <source>Done: “{name}” was sent and the board answers again (it acknowledges nothing).</source>
        <translation>完成：已发送“{name}”，保护板再次应答（它不确认任何命令）。</translation>
    </message>
    <message numerus="yes">
        <source>Settings the board reports after the reset: %n changed (bold)</source>
        <translation>
            <numerusform>恢复出厂设置后保护板报告的参数：%n 项已更改（粗体）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <source>{family} alarm bit {bit}</source>
        <translation>{family} 告警位 {bit}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Copy diagnostics</source>
        <translation>复制诊断信息</translation>
    </message>
    <message>
        <source>Packbench: unexpected error</source>
        <translation>Packbench：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong inside Packbench: {error}
The details are in the log file. The app keeps running.</source>
        <translation>Packbench 内部出现错误：{error}
详细信息已写入日志文件。程序将继续运行。</translation>
    </message>
</context>
<context>
    <name>Badge</name>
    <message>
        <source>ON</source>
        <translation>开</translation>
    </message>
    <message>
        <source>OFF</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>BoardInfoBox</name>
    <message>
        <source>Board</source>
        <translation>保护板</translation>
    </message>
</context>
<context>
    <name>BoardPreset</name>
    <message>
        <source>LiFePO4</source>
        <extracomment>the narrowest the dialog gets: its table&apos;s columns side by side</extracomment>
        <translation>LiFePO4</translation>
    </message>
    <message>
        <source>Li-ion</source>
        <translation>Li-ion</translation>
    </message>
    <message>
        <source>LTO</source>
        <translation>LTO</translation>
    </message>
</context>
<context>
    <name>BoardPresetDialog</name>
    <message>
        <source>Board preset {name} — Packbench</source>
        <translation>保护板预设 {name} — Packbench</translation>
    </message>
    <message>
        <source>Run the board&apos;s own {name} preset?</source>
        <translation>运行保护板自带的 {name} 预设？</translation>
    </message>
    <message>
        <source>The board will overwrite its protection settings with its own {name} values. Packbench does not know those values in advance; they are read back and shown after.</source>
        <translation>保护板将用其自带的 {name} 数值覆盖保护参数。Packbench 事先无法得知这些数值；执行后会读回并显示。</translation>
    </message>
    <message>
        <source>The board&apos;s presets follow the vendor&apos;s table, not Packbench&apos;s presets: for example the vendor allows charging down to −20 °C, which plates lithium. Check the values shown afterwards, or use a Packbench preset in the form instead.</source>
        <translation>保护板的预设遵循厂商的表格，而非 Packbench 的预设：例如厂商允许在低至 −20 °C 时充电，这会导致析锂。请检查执行后显示的数值，或改为在表单中使用 Packbench 预设。</translation>
    </message>
    <message>
        <source>When you press Run:</source>
        <translation>点击“运行”后：</translation>
    </message>
    <message>
        <source>1. Packbench checks the password against the one the board reports. If it is wrong, nothing is sent.</source>
        <translation>1. Packbench 会将密码与保护板报告的密码进行核对。如果密码错误，则不发送任何内容。</translation>
    </message>
    <message>
        <source>2. It saves all the board&apos;s current settings to a backup file.</source>
        <translation>2. 将保护板当前的全部参数保存到备份文件。</translation>
    </message>
    <message>
        <source>3. It sends the preset command, reads the settings back and shows every value that changed, with any of Packbench&apos;s safety rules the new values break.</source>
        <translation>3. 发送预设命令，读回参数，并显示每个发生变化的数值，以及新数值违反的 Packbench 安全规则。</translation>
    </message>
    <message>
        <source>Cancel — send nothing</source>
        <translation>取消 — 不发送任何内容</translation>
    </message>
    <message>
        <source>Run the board&apos;s {name} preset</source>
        <translation>运行保护板的 {name} 预设</translation>
    </message>
    <message>
        <source>Sending the preset command and reading the settings back …</source>
        <translation>正在发送预设命令并读回参数 …</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>After (read back)</source>
        <translation>之后（读回）</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Restore previous settings from backup</source>
        <translation>从备份恢复之前的参数</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Nothing was sent: {reason}</source>
        <translation>未发送任何内容：{reason}</translation>
    </message>
    <message>
        <source>The link failed during the preset command</source>
        <translation>执行预设命令时连接失败</translation>
    </message>
    <message>
        <source>The board may or may not have applied its preset. Reconnect and look at the Parameters page, or restore the backup.</source>
        <translation>保护板可能已应用预设，也可能没有。请重新连接并查看“参数”页面，或恢复备份。</translation>
    </message>
    <message>
        <source>The board&apos;s {name} preset changed nothing</source>
        <translation>保护板的 {name} 预设未更改任何参数</translation>
    </message>
    <message>
        <source>The board acknowledged the command, and its settings read back unchanged.</source>
        <translation>保护板已确认该命令，读回的参数没有变化。</translation>
    </message>
    <message>
        <source>This board answers commands with nothing, and its settings read back unchanged: it did not take the preset.</source>
        <translation>此保护板对命令不作任何应答，且读回的设置没有变化：它没有接受该预设。</translation>
    </message>
    <message>
        <source>The board did not acknowledge the command, and its settings read back unchanged.</source>
        <translation>保护板未确认该命令，读回的参数没有变化。</translation>
    </message>
    <message numerus="yes">
        <source>The board&apos;s {name} preset changed %n setting(s)</source>
        <translation>
            <numerusform>保护板的 {name} 预设更改了 %n 项参数</numerusform>
        </translation>
    </message>
    <message>
        <source>Read back from the board after the command: these are the values it has now.</source>
        <translation>命令执行后从保护板读回：这些是保护板当前的数值。</translation>
    </message>
    <message>
        <source>The board&apos;s values break these Packbench rules — check them, change them in the form, or restore the backup:</source>
        <translation>保护板的数值违反了以下 Packbench 规则 — 请检查，在表单中修改，或恢复备份：</translation>
    </message>
    <message>
        <source>Backup of the settings before the preset: {path}</source>
        <translation>预设执行前的参数备份：{path}</translation>
    </message>
    <message>
        <source>Restored the previous settings from the backup.</source>
        <translation>已从备份恢复之前的参数。</translation>
    </message>
    <message>
        <source>The restore did not complete.</source>
        <translation>恢复未完成。</translation>
    </message>
    <message>
        <source>Nothing was sent.</source>
        <translation>未发送任何内容。</translation>
    </message>
    <message>
        <source>The link failed during the board&apos;s preset: its state is unknown. Backup: {path}</source>
        <translation>执行保护板预设时连接失败：其状态未知。备份：{path}</translation>
    </message>
    <message numerus="yes">
        <source>The board&apos;s {name} preset changed %n setting(s). Backup: {path}</source>
        <translation>
            <numerusform>保护板的 {name} 预设更改了 %n 项参数。备份：{path}</numerusform>
        </translation>
    </message>
    <message>
        <source>Restoring the previous settings …</source>
        <translation>正在恢复之前的参数 …</translation>
    </message>
    <message>
        <source>Not restored, nothing was written: {reason}</source>
        <translation>未恢复，未写入任何内容：{reason}</translation>
    </message>
    <message>
        <source>Restored: the board has its previous settings again</source>
        <translation>已恢复：保护板已恢复为之前的参数</translation>
    </message>
    <message>
        <source>The restore did not complete</source>
        <translation>恢复未完成</translation>
    </message>
</context>
<context>
    <name>CalibrationSection</name>
    <message>
        <source>Calibration against a meter</source>
        <translation>对照仪表校准</translation>
    </message>
    <message>
        <source>Pack voltage the board reads</source>
        <translation>保护板读取的总电压</translation>
    </message>
    <message>
        <source>Current the board reads</source>
        <translation>保护板读取的电流</translation>
    </message>
    <message>
        <source>Calibrate voltage…</source>
        <translation>校准电压…</translation>
    </message>
    <message>
        <source>Calibrate current…</source>
        <translation>校准电流…</translation>
    </message>
    <message>
        <source>Voltage: the wizard switches charging and discharging off, you measure at the pack terminals, then it switches them back on.</source>
        <translation>电压：向导会关闭充电和放电，由您在电池组端子处测量，然后重新开启。</translation>
    </message>
    <message>
        <source>Current: with a steady current of at least 1 A, enter what a clamp meter reads.</source>
        <translation>电流：在至少 1 A 的稳定电流下，输入钳形表的读数。</translation>
    </message>
    <message>
        <source>{family} has no calibration command that Packbench knows, so it cannot be calibrated from here.</source>
        <translation>{family} 没有 Packbench 已知的校准命令，因此无法在此校准。</translation>
    </message>
    <message>
        <source>Voltage</source>
        <translation>电压</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>{what} calibration cancelled: no meter value was sent.</source>
        <translation>{what}校准已取消：未发送仪表数值。</translation>
    </message>
    <message>
        <source>{what} calibrated: the board read {before}, now {after}.</source>
        <translation>{what}已校准：保护板之前读数为 {before}，现在为 {after}。</translation>
    </message>
    <message>
        <source>{what} calibration failed: the board still reads {after}.</source>
        <translation>{what}校准失败：保护板读数仍为 {after}。</translation>
    </message>
    <message>
        <source>The calibration left charging and discharging OFF: the pack delivers no power and cannot be charged. Switch them back on below.</source>
        <translation>校准后充电和放电仍处于关闭状态：电池组不输出电能，也无法充电。请在下方重新开启。</translation>
    </message>
</context>
<context>
    <name>CalibrationWizard</name>
    <message>
        <source>Voltage calibration — Packbench</source>
        <extracomment>something was sent to the board (a switch or a calibration)</extracomment>
        <translation>电压校准 — Packbench</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Switch back on</source>
        <translation>重新开启</translation>
    </message>
    <message>
        <source>Current calibration — Packbench</source>
        <translation>电流校准 — Packbench</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{n}. {name}</source>
        <translation>{n}. {name}</translation>
    </message>
    <message>
        <source>Step 1 of 4: switch charging and discharging off</source>
        <translation>第 1 步（共 4 步）：关闭充电和放电</translation>
    </message>
    <message>
        <source>Step 2 of 4: measure at the pack terminals</source>
        <translation>第 2 步（共 4 步）：在电池组端子处测量</translation>
    </message>
    <message>
        <source>Step 1 of 2: measure the current</source>
        <translation>第 1 步（共 2 步）：测量电流</translation>
    </message>
    <message>
        <source>Step 3 of 4: before and after</source>
        <translation>第 3 步（共 4 步）：前后对比</translation>
    </message>
    <message>
        <source>Step 2 of 2: before and after</source>
        <translation>第 2 步（共 2 步）：前后对比</translation>
    </message>
    <message>
        <source>Step 4 of 4: switch charging and discharging back on</source>
        <translation>第 4 步（共 4 步）：重新开启充电和放电</translation>
    </message>
    <message>
        <source>Next: measure</source>
        <translation>下一步：测量</translation>
    </message>
    <message>
        <source>Next: switch back on</source>
        <translation>下一步：重新开启</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Finish and leave them OFF</source>
        <translation>完成并保持关闭</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Waiting for the board&apos;s reading …</source>
        <translation>正在等待保护板读数 …</translation>
    </message>
    <message>
        <source>Enter the meter&apos;s reading.</source>
        <translation>请输入仪表读数。</translation>
    </message>
    <message>
        <source>Nothing will be sent: {reason}.</source>
        <translation>不会发送任何内容：{reason}。</translation>
    </message>
    <message>
        <source>The board was disconnected: nothing more can be sent from this window.</source>
        <translation>保护板已断开：无法再从此窗口发送任何内容。</translation>
    </message>
    <message>
        <source>Switching charging and discharging on …</source>
        <translation>正在开启充电和放电 …</translation>
    </message>
    <message>
        <source>Switching charging and discharging off …</source>
        <translation>正在关闭充电和放电 …</translation>
    </message>
    <message>
        <source>{name}: not written: {reason}</source>
        <translation>{name}：未写入：{reason}</translation>
    </message>
    <message>
        <source>{name}: the link failed: {reason}</source>
        <translation>{name}：连接失败：{reason}</translation>
    </message>
    <message>
        <source>{name} is now {state} (read back from the board)</source>
        <translation>{name}现为{state}状态（从保护板读回）</translation>
    </message>
    <message>
        <source>{name}: {status}</source>
        <translation>{name}：{status}</translation>
    </message>
    <message>
        <source>Averaging the board&apos;s reading, sending the meter&apos;s value, reading it back …</source>
        <translation>正在对保护板读数取平均、发送仪表数值并读回 …</translation>
    </message>
    <message>
        <source>Nothing was sent: {reason}</source>
        <translation>未发送任何内容：{reason}</translation>
    </message>
    <message>
        <source>The link failed during the calibration: {reason}. The board may or may not have taken the value.</source>
        <translation>校准过程中连接失败：{reason}。保护板可能已接收该数值，也可能没有。</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>Calibrated: the board now reads {after}, the meter&apos;s value (it read {before} before).</source>
        <translation>校准完成：保护板现在读数为 {after}，与仪表数值一致（之前读数为 {before}）。</translation>
    </message>
    <message>
        <source>Refused: the board did not acknowledge the calibration. Nothing changed; it still reads {before}.</source>
        <translation>被拒绝：保护板未确认校准。没有任何更改；其读数仍为 {before}。</translation>
    </message>
    <message>
        <source>Not verified: the board acknowledged, but now reads {after}, not the meter&apos;s {meter}. The calibration did not take.</source>
        <translation>未通过验证：保护板已确认，但当前读数为 {after}，而非仪表的 {meter}。校准未生效。</translation>
    </message>
    <message>
        <source>Charging and discharging are still OFF. Switch them back on here, or press Close again to leave them off.</source>
        <translation>充电和放电仍处于关闭状态。请在此处重新开启，或再次点击“关闭”以保持关闭。</translation>
    </message>
</context>
<context>
    <name>CapacitySection</name>
    <message>
        <source>Capacity and state of charge</source>
        <translation>容量与荷电状态</translation>
    </message>
    <message>
        <source>Nominal capacity</source>
        <translation>标称容量</translation>
    </message>
    <message>
        <source>Review and set…</source>
        <translation>检查并设置…</translation>
    </message>
    <message>
        <source>Remaining capacity</source>
        <translation>剩余容量</translation>
    </message>
    <message>
        <source>Set…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>{family} has no capacity setting that Packbench can write.</source>
        <translation>{family} 没有 Packbench 可写入的容量参数。</translation>
    </message>
    <message>
        <source>State of charge: tell the board how much charge the pack holds now; it works the SOC out from that, the capacity and the current.</source>
        <translation>荷电状态：告诉保护板电池包现在存有多少电量；保护板据此以及容量和电流计算 SOC。</translation>
    </message>
    <message>
        <source>State of charge: tell the board the SOC the pack has now; it counts on from there with the current.</source>
        <translation>荷电状态：告诉保护板电池组当前的 SOC；它会以此为起点，根据电流继续累计。</translation>
    </message>
    <message>
        <source>State of charge: no command to set it is known for {family}, so Packbench cannot set it. The board works it out itself from the capacity and the current.</source>
        <translation>荷电状态：尚不知道 {family} 有设置荷电状态的命令，因此 Packbench 无法设置。保护板会根据容量和电流自行计算。</translation>
    </message>
    <message>
        <source>board: {value} Ah</source>
        <translation>保护板：{value} Ah</translation>
    </message>
    <message>
        <source>Set the remaining capacity to {ah} Ah?</source>
        <translation>将剩余容量设为 {ah} Ah？</translation>
    </message>
    <message>
        <source>Set {ah} Ah</source>
        <translation>设为 {ah} Ah</translation>
    </message>
    <message>
        <source>Packbench sends it in factory mode, leaves factory mode and reads the board&apos;s remaining capacity back.</source>
        <translation>Packbench 在工厂模式下发送该值，随后退出工厂模式，并读回保护板的剩余容量。</translation>
    </message>
    <message>
        <source>Verified: the board now reports {after} Ah remaining.</source>
        <translation>已验证：保护板现在报告剩余 {after} Ah。</translation>
    </message>
    <message>
        <source>The board did not acknowledge: nothing changed.</source>
        <translation>保护板未确认：没有任何更改。</translation>
    </message>
    <message>
        <source>The board acknowledged but reports {after} Ah, not {ah} Ah.</source>
        <translation>保护板已确认，但报告的是 {after} Ah，而不是 {ah} Ah。</translation>
    </message>
    <message>
        <source>Cannot prepare the write: {reason}</source>
        <translation>无法准备写入：{reason}</translation>
    </message>
    <message>
        <source>the Control tab&apos;s capacity field</source>
        <translation>“控制”选项卡中的容量字段</translation>
    </message>
    <message>
        <source>Capacity: nothing was written.</source>
        <translation>容量：未写入任何内容。</translation>
    </message>
    <message>
        <source>Capacity: the board&apos;s report is missing.</source>
        <translation>容量：缺少保护板的报告。</translation>
    </message>
    <message>
        <source>Verified: the capacity is now {value} (read back from the board).</source>
        <translation>已验证：容量现为 {value}（从保护板读回）。</translation>
    </message>
    <message>
        <source>The board already had {value}: nothing was written.</source>
        <translation>保护板原本就是 {value}：未写入任何内容。</translation>
    </message>
    <message>
        <source>Capacity: {status}.</source>
        <translation>容量：{status}。</translation>
    </message>
</context>
<context>
    <name>CellBars</name>
    <message>
        <source>Cell voltage (V)</source>
        <translation>单体电压 (V)</translation>
    </message>
    <message>
        <source>Cell number</source>
        <extracomment>margin above and below the cells in the bar chart, and its rounding step the wire-resistance bars&apos; plot height (px): a strip under the cells, not a second chart</extracomment>
        <translation>电芯序号</translation>
    </message>
    <message>
        <source>Cell voltages now</source>
        <translation>当前单体电压</translation>
    </message>
    <message>
        <source>lowest cell</source>
        <translation>最低单体</translation>
    </message>
    <message>
        <source>highest cell</source>
        <translation>最高单体</translation>
    </message>
    <message>
        <source>being balanced</source>
        <translation>均衡中</translation>
    </message>
</context>
<context>
    <name>CommissionSection</name>
    <message>
        <source>Commission this pack</source>
        <extracomment>the profile choices: a built-in preset&apos;s chemistry, or &quot;file&quot;</extracomment>
        <translation>调试验收此电池组</translation>
    </message>
    <message>
        <source>LiFePO4 preset</source>
        <translation>LiFePO4 预设</translation>
    </message>
    <message>
        <source>Li-ion preset</source>
        <translation>Li-ion 预设</translation>
    </message>
    <message>
        <source>LTO preset</source>
        <translation>LTO 预设</translation>
    </message>
    <message>
        <source>A settings or preset file…</source>
        <translation>参数文件或预设文件…</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>目标配置</translation>
    </message>
    <message>
        <source> cells</source>
        <translation> 串</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>电池组</translation>
    </message>
    <message>
        <source>Choose the file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>who commissions the pack</source>
        <translation>执行验收的人员</translation>
    </message>
    <message>
        <source>work order, customer or batch</source>
        <translation>工单、客户或批次</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Nothing is written to the board. Its settings are compared with the profile, the checks above are judged with the pack at rest (at most 0.5 A for a while), and all of it is recorded in the pack registry with a PDF report.</source>
        <translation>不会向保护板写入任何内容。会将其参数与目标配置比较，在电池组静置（电流不超过 0.5 A 并持续一段时间）时判定上面的检查，并将全部结果连同 PDF 报告记录到电池组登记库中。</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>开始验收</translation>
    </message>
    <message>
        <source>Open the report (PDF)</source>
        <translation>打开报告 (PDF)</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Give the operator, the job and the profile first</source>
        <translation>请先填写操作员、工单和目标配置</translation>
    </message>
    <message>
        <source>no file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <source>The profile to commission against</source>
        <translation>验收所依据的目标配置</translation>
    </message>
    <message>
        <source>Settings or preset (*.json)</source>
        <translation>参数或预设 (*.json)</translation>
    </message>
    <message>
        <source>Reading the board&apos;s settings …</source>
        <translation>正在读取保护板参数 …</translation>
    </message>
    <message>
        <source>Not commissioned: {reason}</source>
        <translation>未验收：{reason}</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>Not commissioned: the link failed: {reason}</source>
        <translation>未验收：连接失败：{reason}</translation>
    </message>
    <message>
        <source>The pack rests: {done} of {need} s</source>
        <translation>电池组静置中：{done} / {need} 秒</translation>
    </message>
    <message>
        <source>Report: {path}</source>
        <translation>报告：{path}</translation>
    </message>
    <message>
        <source>Commissioned {serial}: the settings equal the profile and every check passed.</source>
        <translation>{serial} 已验收：参数与目标配置一致，所有检查均通过。</translation>
    </message>
    <message>
        <source>Recorded {serial}, NOT passed: {reasons}.</source>
        <translation>已记录 {serial}，未通过：{reasons}。</translation>
    </message>
    <message>
        <source>Recorded {serial}, incomplete: {reasons}.</source>
        <translation>已记录 {serial}，未完成：{reasons}。</translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) differ from the profile</source>
        <translation>
            <numerusform>%n 项参数与目标配置不同</numerusform>
        </translation>
    </message>
    <message>
        <source>failed: {checks}</source>
        <translation>未通过：{checks}</translation>
    </message>
    <message>
        <source>cannot tell yet: {checks}</source>
        <translation>尚无法判断：{checks}</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <source>This board&apos;s protocol has no password, so Packbench asks for none.</source>
        <translation>此保护板的协议没有密码，因此 Packbench 不会要求输入密码。</translation>
    </message>
    <message>
        <source>Cancel — send nothing</source>
        <translation>取消 — 不发送任何内容</translation>
    </message>
    <message>
        <source>To confirm, type {word} here:</source>
        <translation>如需确认，请在此输入 {word}：</translation>
    </message>
    <message>
        <source>Waiting for a live connection to the board.</source>
        <translation>正在等待与保护板的在线连接。</translation>
    </message>
    <message>
        <source>Type {word} first.</source>
        <translation>请先输入 {word}。</translation>
    </message>
    <message>
        <source>Enter the setup password first.</source>
        <translation>请先输入设置密码。</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Device URL</source>
        <translation>设备 URL</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>{name} ({id})</source>
        <translation>{name}（{id}）</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>PIN or module password</source>
        <translation>连接密码或模块密码</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>Demo (simulated 16-cell JK board)</source>
        <translation>演示（模拟 16 串 JK 保护板）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>e.g. /dev/ttyUSB0, COM3 or socket://192.168.4.1:8899</source>
        <translation>例如 /dev/ttyUSB0、COM3 或 socket://192.168.4.1:8899</translation>
    </message>
    <message>
        <source>A serial port (/dev/ttyUSB0, COM3), a network bridge (socket://host:port), a Bluetooth address (ble://…) or the simulator (sim://jk02_32s?cells=16).</source>
        <translation>串口（/dev/ttyUSB0、COM3）、网络桥接器（socket://host:port）、蓝牙地址（ble://…）或模拟器（sim://jk02_32s?cells=16）。</translation>
    </message>
    <message>
        <source>How to connect a real board</source>
        <translation>如何连接真实的保护板</translation>
    </message>
    <message>
        <source>Serial ports on this computer</source>
        <translation>本机串口</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Recent devices</source>
        <translation>最近使用的设备</translation>
    </message>
    <message>
        <source>Click to fill in the URL, double-click to connect</source>
        <translation>单击填入 URL，双击连接</translation>
    </message>
    <message>
        <source>{name}: find the protocol ({id})</source>
        <translation>{name}：自动查找协议（{id}）</translation>
    </message>
    <message>
        <source>Bluetooth PIN</source>
        <translation>蓝牙连接密码</translation>
    </message>
    <message>
        <source>JK board: its Bluetooth PIN, &lt;code&gt;1234&lt;/code&gt; from the factory. JBD board: the Bluetooth module&apos;s password, often &lt;code&gt;000000&lt;/code&gt; or &lt;code&gt;123123&lt;/code&gt;.</source>
        <translation>JK 保护板：蓝牙连接密码，出厂为 &lt;code&gt;1234&lt;/code&gt;。JBD 保护板：蓝牙模块的密码，通常为 &lt;code&gt;000000&lt;/code&gt; 或 &lt;code&gt;123123&lt;/code&gt;。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;USB cable&lt;/b&gt; (USB-RS485 or USB-TTL adapter on the board&apos;s RS485/UART port): pick the port on the right, or type it: &lt;code&gt;/dev/ttyUSB0&lt;/code&gt; on Linux, &lt;code&gt;COM3&lt;/code&gt; on Windows. On Linux you may have to join the &lt;i&gt;dialout&lt;/i&gt; group once.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Network bridge&lt;/b&gt; (a WiFi/Ethernet-to-serial box wired to the board): type &lt;code&gt;socket://192.168.4.1:8899&lt;/code&gt; with your bridge&apos;s address and port.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bluetooth LE&lt;/b&gt;: press &lt;i&gt;Scan&lt;/i&gt;, then pick your board.&lt;/p&gt;&lt;p&gt;&lt;b&gt;No board at hand?&lt;/b&gt; The demo button connects to a built-in simulated 16-cell JK board.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;USB 线缆&lt;/b&gt;（连接到保护板 RS485/UART 端口的 USB-RS485 或 USB-TTL 转接器）：在右侧选择端口，或直接输入：Linux 上为 &lt;code&gt;/dev/ttyUSB0&lt;/code&gt;，Windows 上为 &lt;code&gt;COM3&lt;/code&gt;。在 Linux 上可能需要（一次性）加入 &lt;i&gt;dialout&lt;/i&gt; 组。&lt;/p&gt;&lt;p&gt;&lt;b&gt;网络桥接&lt;/b&gt;（与保护板相连的 WiFi/以太网转串口设备）：输入 &lt;code&gt;socket://192.168.4.1:8899&lt;/code&gt;，并替换为您的桥接设备的地址和端口。&lt;/p&gt;&lt;p&gt;&lt;b&gt;蓝牙 LE&lt;/b&gt;：点击&lt;i&gt;扫描&lt;/i&gt;，然后选择您的保护板。&lt;/p&gt;&lt;p&gt;&lt;b&gt;手头没有保护板？&lt;/b&gt;演示按钮会连接到内置的模拟 16 串 JK 保护板。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Bluetooth boards nearby</source>
        <translation>附近的蓝牙保护板</translation>
    </message>
    <message>
        <source>Press Scan to look for boards (about 5 s).</source>
        <translation>点击“扫描”查找保护板（约 5 s）。</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Scanning …</source>
        <translation>正在扫描 …</translation>
    </message>
    <message>
        <source>{name} — {url} — {rssi} dBm</source>
        <translation>{name} — {url} — {rssi} dBm</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>{n} board(s) found.</source>
        <translation>找到 {n} 个保护板。</translation>
    </message>
    <message>
        <source>No boards found. Is the board awake and the phone app closed?</source>
        <translation>未找到保护板。保护板是否已唤醒？手机 App 是否已关闭？</translation>
    </message>
    <message>
        <source>{device} — {description}</source>
        <translation>{device} — {description}</translation>
    </message>
    <message>
        <source>No serial ports found. Plug in the adapter and press Refresh.</source>
        <translation>未找到串口。请插入转接器后点击“刷新”。</translation>
    </message>
    <message>
        <source>None yet: devices appear here once they were live.</source>
        <translation>暂无：设备成功连接并收到数据后会显示在这里。</translation>
    </message>
    <message>
        <source>Type a device URL first, pick a serial port or press Demo.</source>
        <translation>请先输入设备 URL、选择串口，或点击“演示”。</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Opening the link …</source>
        <translation>正在打开连接 …</translation>
    </message>
    <message>
        <source>Link open; asking the board who it is …</source>
        <translation>连接已打开；正在识别保护板 …</translation>
    </message>
    <message>
        <source>Live: the board is sending data</source>
        <translation>在线：保护板正在发送数据</translation>
    </message>
    <message>
        <source>Link lost; trying again</source>
        <translation>连接中断；正在重试</translation>
    </message>
    <message>
        <source>Writing settings</source>
        <translation>正在写入参数</translation>
    </message>
    <message>
        <source>Link lost ({detail})</source>
        <translation>连接中断（{detail}）</translation>
    </message>
    <message>
        <source>For a &lt;b&gt;JBD / LLT / Xiaoxiang&lt;/b&gt; board choose &lt;i&gt;jbd&lt;/i&gt; (its cable runs at 9600 baud); Scan recognises JBD Bluetooth modules by itself.</source>
        <translation>&lt;b&gt;JBD / LLT / 小象&lt;/b&gt;保护板请选择 &lt;i&gt;jbd&lt;/i&gt;（其线缆通信速率为 9600 波特）；扫描会自动识别 JBD 蓝牙模块。</translation>
    </message>
    <message>
        <source>Leave the protocol on &lt;i&gt;Automatic&lt;/i&gt; for a JK board: it tells its variant when asked. A JK board accepts one Bluetooth connection at a time: close the phone app first.</source>
        <extracomment>the highest slave address a JK-PB board&apos;s DIP switches set (jk.md §8.1: 1..15, 0 the master)</extracomment>
        <translation>JK 保护板请将协议保持为&lt;i&gt;自动&lt;/i&gt;：它在被询问时会告知其型号变体。JK 保护板同一时间只接受一个蓝牙连接：请先关闭手机 App。</translation>
    </message>
    <message>
        <source>For a &lt;b&gt;Daly&lt;/b&gt; board choose &lt;i&gt;Daly: find the protocol&lt;/i&gt; (or leave &lt;i&gt;Automatic&lt;/i&gt;): Packbench asks in the newer Modbus protocol (D2, also P81) and in the classic A5 protocol, at 9600 baud. Scan recognises Daly Bluetooth modules (names DL-…).</source>
        <extracomment>fff0/fff1/fff2 (syssi-daly, aiobmsble; the old A5 dongles too), and ff00/ff01/ff02 of newer DL/JHB firmware that refuses notifications on fff1 (batmon #356, §6.2)</extracomment>
        <translation>连接 &lt;b&gt;Daly（达里）&lt;/b&gt; 保护板时请选择 &lt;i&gt;Daly：自动查找协议&lt;/i&gt;（或保留 &lt;i&gt;自动&lt;/i&gt;）：Packbench 以 9600 波特率先用较新的 Modbus 协议（D2，也包括 P81）询问，再用经典的 A5 协议询问。扫描能识别 Daly 蓝牙模块（名称为 DL-…）。</translation>
    </message>
    <message>
        <source>For an &lt;b&gt;ANT&lt;/b&gt; board choose &lt;i&gt;ANT: find the protocol (ant)&lt;/i&gt;: Packbench asks in the 2021 protocol first and falls back to the older one (on a cable at 19200, then 9600 baud). An ANT board accepts one Bluetooth connection at a time: close the phone app first.</source>
        <extracomment>the family id; ``?protocol=ant`` asks the session to find out which protocol the board speaks (2021 first, then legacy: §4.1) company ids batmon-ha saw in ANT adverts (§2.3) names in aiobmsble&apos;s matchers (§2.3): a hint only, the protocol is probed Packbench&apos;s own additions to the chemistry presets: the second protection level and the warnings move with the chemistry, so a LiFePO4 preset never leaves a Li-ion board&apos;s 4.3 V level 2 behind. Level 2 sits 0.10 V beyond level 1 (the 16ZMUB capture: 3.65 / 3.80 V; the NMC unit of issue #18: 4.15 / 4.30 V) and releases at the level-1 recovery; the warnings sit at the 100 % / 0 % voltages of the preset and release at its recoveries (presets.md &quot;Packbench presets&quot;). the family&apos;s own ordering rules (presets.md rules 1 and 2 for its second level and its warnings): level 2 lies beyond level 1, each recovery on the safe side</extracomment>
        <translation>对于 &lt;b&gt;ANT&lt;/b&gt; 保护板，请选择 &lt;i&gt;ANT：自动识别协议（ant）&lt;/i&gt;：Packbench 先用 2021 协议询问，无应答时改用旧协议（有线连接时先 19200 波特，再 9600 波特）。ANT 保护板同一时间只接受一个蓝牙连接：请先关闭手机应用。</translation>
    </message>
    <message>
        <source>A &lt;b&gt;Xiaomi M365 / Pro / 1S or Ninebot ES / Max / G30 scooter pack&lt;/b&gt; is read by cable: a 3.3 V USB-UART adapter with TX and RX tied together on the pack&apos;s data wire (never 5 V), 115200 baud; &lt;i&gt;Automatic&lt;/i&gt; tries the m365 and ninebot framings. Bluetooth goes through the scooter&apos;s dashboard and, on current firmware, NinebotCrypto or Mi authentication, which Packbench does not do: use the cable.</source>
        <translation>&lt;b&gt;小米 M365 / Pro / 1S 或九号 ES / Max / G30 滑板车电池包&lt;/b&gt;通过线缆读取：在电池包的数据线上接一个 3.3 V 的 USB-UART 转接器，TX 与 RX 连在一起（切勿接 5 V），波特率 115200；&lt;i&gt;自动&lt;/i&gt;会依次尝试 m365 和 ninebot 两种帧格式。蓝牙要经过滑板车的仪表盘，新固件还需要 NinebotCrypto 或小米认证，Packbench 不做这些：请使用线缆。</translation>
    </message>
</context>
<context>
    <name>Control</name>
    <message>
        <source>Charging off: the pack will not take charge. On a common-port pack, regenerative braking then has nowhere to go and can destroy the motor controller.</source>
        <translation>关闭充电：电池组将不接受充电。对于同口电池组，此时再生制动的电能将无处可去，可能会烧毁电机控制器。</translation>
    </message>
    <message>
        <source>Charging on: the pack takes charge again, within its protection limits.</source>
        <translation>开启充电：电池组在保护限值内重新接受充电。</translation>
    </message>
    <message>
        <source>Discharging off: the pack delivers no power. Anything running from it stops now, and a pack left like this can only be woken by a charger or this switch.</source>
        <translation>关闭放电：电池组不输出电能。由其供电的一切设备将立即停止，且处于此状态的电池组只能由充电器或此开关唤醒。</translation>
    </message>
    <message>
        <source>Discharging on: the pack delivers power to its output again.</source>
        <translation>开启放电：电池组重新向输出端供电。</translation>
    </message>
    <message>
        <source>Balancing off: cells will drift apart over the coming cycles.</source>
        <translation>关闭均衡：在接下来的循环中，各电芯之间的电压会逐渐偏离。</translation>
    </message>
    <message>
        <source>Balancing on: the balancer evens the cells out above the balance start voltage.</source>
        <translation>开启均衡：均衡器会在电压高于均衡启动电压时使各电芯电压趋于一致。</translation>
    </message>
    <message>
        <source>Heating off: in the cold the pack will refuse to charge instead of warming itself.</source>
        <translation>关闭加热：低温时电池组将拒绝充电，而不会自行加热。</translation>
    </message>
    <message>
        <source>Heating on: the heater may draw power from the pack or the charger when it is cold.</source>
        <translation>开启加热：低温时加热器可能从电池组或充电器取电。</translation>
    </message>
    <message>
        <source>The board restarts: the output switches off for a few seconds.</source>
        <translation>保护板将重启：输出会关闭几秒钟。</translation>
    </message>
    <message>
        <source>The board switches itself off: the pack delivers no power until a charger is connected or its button is pressed.</source>
        <translation>保护板将自行关机：在连接充电器或按下其按键之前，电池组不输出电能。</translation>
    </message>
    <message>
        <source>Factory reset: every protection setting returns to the firmware&apos;s defaults, which may not fit this pack&apos;s chemistry or size. A backup is saved first.</source>
        <translation>恢复出厂设置：所有保护参数将恢复为固件默认值，这些数值可能不适合此电池组的电池类型或规格。操作前会先保存备份。</translation>
    </message>
    <message>
        <source>Emergency mode on: the board overrides its protections for a limited time (the emergency duration, {minutes} min) so that a pack that has switched itself off can be started. Nothing protects the cells meanwhile: stay with the pack and fix the cause.</source>
        <translation>开启应急模式：保护板在有限时间内（应急持续时间，{minutes} 分钟）解除其保护功能，以便启动已自行关断的电池组。在此期间电芯不受任何保护：请守在电池组旁并排除故障原因。</translation>
    </message>
    <message>
        <source>Emergency mode off: the protections apply again at once. If the fault is still there, the pack switches its output off again.</source>
        <translation>关闭应急模式：保护功能立即重新生效。如果故障仍然存在，电池组会再次关断输出。</translation>
    </message>
    <message>
        <source>The board takes the current it measures now as zero. Disconnect the charger and the load first, so that no current flows: a current flowing now would be subtracted from every reading afterwards, and the state of charge would drift.</source>
        <extracomment>the most a board may read while nothing flows before zeroing looks like a current, not an offset (a shunt amplifier&apos;s offset is a fraction of an ampere) what a zeroed board may still read with nothing flowing</extracomment>
        <translation>保护板会把当前测得的电流当作零点。请先断开充电器和负载，使电路中没有电流：此时若有电流流过，之后的每个读数都会减去它，荷电状态也会逐渐偏离。</translation>
    </message>
    <message>
        <source>The board&apos;s state of charge jumps to the value you enter. Its protections do not depend on it, but a controller or display that trusts the SOC will show (and may act on) the new value. Enter what the pack really holds, e.g. 100 % right after a full charge.</source>
        <translation>保护板的荷电状态会立即变为您输入的值。保护功能不依赖它，但信任 SOC 的控制器或显示屏会显示（并可能据此动作）新的值。请输入电池组的真实电量，例如刚充满后输入 100 %。</translation>
    </message>
    <message>
        <source>The board&apos;s clock is set to this computer&apos;s date and time. The board stamps its alarms and records with it; nothing else changes.</source>
        <translation>保护板的时钟将被设置为这台电脑的日期和时间。保护板用它为告警和记录加时间戳；其他内容不变。</translation>
    </message>
    <message>
        <source>The board&apos;s state of charge jumps to the remaining capacity you enter. Its protections do not depend on it, but a controller or display that trusts the SOC will show (and may act on) the new value. Enter what the pack really holds, e.g. 0 Ah after a full discharge or the full capacity after a full charge.</source>
        <translation>保护板的荷电状态会立即跳到您输入的剩余容量。保护功能不依赖于它，但信任 SOC 的控制器或显示屏会显示（并可能依据）新的数值。请输入电池包实际存有的电量，例如完全放电后输入 0 Ah，完全充满后输入满充容量。</translation>
    </message>
    <message>
        <source>The board gets a new password: from now on it shows and changes its settings only after the password is given (Packbench, the vendor app and the PC tool alike). Write it down: Packbench keeps it in memory only. The vendor&apos;s factory code can still clear it, so it keeps out the curious, not a determined thief.</source>
        <translation>保护板将设置新密码：从此以后，只有输入该密码后才会显示和修改其设置（Packbench、厂家 App 和电脑工具都一样）。请把它记下来：Packbench 只在内存中保存它。厂家的出厂代码仍可清除该密码，所以它只能挡住好奇者，挡不住存心的窃贼。</translation>
    </message>
    <message>
        <source>The board&apos;s password is removed: anyone who connects to it can then change its protection settings.</source>
        <translation>保护板的密码将被删除：之后任何连接到它的人都可以修改其保护设置。</translation>
    </message>
    <message>
        <source>Charge and discharge MOSFETs both on</source>
        <translation>充电MOS和放电MOS均已开启</translation>
    </message>
    <message>
        <source>No alarms</source>
        <translation>无告警</translation>
    </message>
    <message>
        <source>Cell count as configured</source>
        <translation>电芯串数与设置一致</translation>
    </message>
    <message>
        <source>Cell difference within the balance trigger</source>
        <translation>单体压差在均衡触发压差以内</translation>
    </message>
    <message>
        <source>Temperatures plausible and close to each other</source>
        <translation>温度读数合理且彼此接近</translation>
    </message>
    <message>
        <source>Firmware version recorded</source>
        <translation>已记录固件版本</translation>
    </message>
    <message>
        <source>charging</source>
        <extracomment>mid-sentence forms (&quot;Switch charging off?&quot;)</extracomment>
        <translation>充电</translation>
    </message>
    <message>
        <source>discharging</source>
        <translation>放电</translation>
    </message>
    <message>
        <source>balancing</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>heating</source>
        <translation>加热</translation>
    </message>
    <message>
        <source>Charging</source>
        <translation>充电</translation>
    </message>
    <message>
        <source>Discharging</source>
        <translation>放电</translation>
    </message>
    <message>
        <source>Balancing</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Heating</source>
        <translation>加热</translation>
    </message>
    <message>
        <source>Restart the board</source>
        <translation>重启保护板</translation>
    </message>
    <message>
        <source>Shut the board down</source>
        <translation>保护板关机</translation>
    </message>
    <message>
        <source>Factory reset</source>
        <translation>恢复出厂设置</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>ON</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>OFF</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s left</source>
        <translation>剩余 {minutes} 分 {seconds} 秒</translation>
    </message>
    <message>
        <source>not reported by this board</source>
        <translation>此保护板不报告此项</translation>
    </message>
</context>
<context>
    <name>ControlPage</name>
    <message>
        <source>Replaying a log: there is no board to send anything to. The checks below show the log&apos;s readings.</source>
        <extracomment>the tab&apos;s width from which the sections sit in two columns (a 1280-pixel window: two; a 1024-pixel laptop: one)</extracomment>
        <translation>正在回放日志：没有可发送命令的保护板。以下检查显示的是日志中的读数。</translation>
    </message>
    <message>
        <source>Not connected: connect to a board on the Connection tab. Every action here is confirmed, needs the setup password and is read back.</source>
        <translation>未连接：请在“连接”选项卡中连接保护板。此处的每项操作都需要确认和设置密码，并会读回验证。</translation>
    </message>
    <message>
        <source>Nothing on this tab applies to this board: no switch, calibration, preset, reset or capacity command is sent to it.</source>
        <translation>此页的功能都不适用于这块板：不会向它发送任何开关、校准、预设、复位或容量命令。</translation>
    </message>
</context>
<context>
    <name>EmergencySection</name>
    <message>
        <source>Emergency mode</source>
        <translation>应急模式</translation>
    </message>
    <message>
        <source>Start emergency mode…</source>
        <translation>启动应急模式…</translation>
    </message>
    <message>
        <source>{family} has no emergency mode that Packbench knows.</source>
        <translation>{family} 没有 Packbench 已知的应急模式。</translation>
    </message>
    <message>
        <source>Stop emergency mode…</source>
        <translation>停止应急模式…</translation>
    </message>
    <message>
        <source>Start emergency mode?</source>
        <translation>启动应急模式？</translation>
    </message>
    <message>
        <source>Stop emergency mode?</source>
        <translation>停止应急模式？</translation>
    </message>
    <message>
        <source>Start emergency mode</source>
        <translation>启动应急模式</translation>
    </message>
    <message>
        <source>Stop emergency mode</source>
        <translation>停止应急模式</translation>
    </message>
    <message>
        <source>Packbench checks the password, sends the command and reads the board&apos;s emergency countdown back.</source>
        <translation>Packbench 会核对密码，发送命令，并读回保护板的应急倒计时。</translation>
    </message>
    <message>
        <source>ON, {left}</source>
        <translation>开，{left}</translation>
    </message>
    <message>
        <source>Verified: emergency mode is {state} (read back from the board).</source>
        <translation>已验证：应急模式为{state}（从保护板读回）。</translation>
    </message>
    <message>
        <source>Refused by the board: emergency mode is still {state}.</source>
        <translation>被保护板拒绝：应急模式仍为{state}。</translation>
    </message>
    <message>
        <source>The board acknowledged, but emergency mode is still {state}.</source>
        <translation>保护板已确认，但应急模式仍为{state}。</translation>
    </message>
    <message>
        <source>Sent, but the board&apos;s countdown does not confirm it: emergency mode reads {state}.</source>
        <translation>已发送，但保护板的倒计时未能确认：应急模式读数为{state}。</translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message>
        <source>Connect to a board whose family has a health guide to see its diagnosis here.</source>
        <extracomment>the day the pack&apos;s age is counted to (tests fix it) the findings on screen now (tests read them)</extracomment>
        <translation>连接一块其系列带有健康指南的板，即可在此查看诊断。</translation>
    </message>
    <message>
        <source>Record every reading to a CSV log while the pack charges (the Live cells tab&apos;s recorder): the log opens in a spreadsheet and in File → Open log</source>
        <translation>在电池包充电时把每次读数记录到 CSV 日志（使用“实时电芯”页的记录器）：日志可在电子表格和“文件 → 打开日志”中打开</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Thresholds and where they come from</source>
        <translation>阈值及其出处</translation>
    </message>
    <message>
        <source>■ Stop recording</source>
        <extracomment>the table as text, row by row (tests read it)</extracomment>
        <translation>■ 停止记录</translation>
    </message>
    <message>
        <source>● Record a charge (CSV)</source>
        <translation>● 记录一次充电（CSV）</translation>
    </message>
    <message>
        <source>Diagnosis of {time}, from the pack&apos;s own readings.</source>
        <translation>{time} 的诊断，依据电池包自身的读数。</translation>
    </message>
    <message>
        <source>Pack health</source>
        <translation>电池包健康</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Source sentence</source>
        <translation>出处原文</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>出处</translation>
    </message>
    <message>
        <source>Pack {n} (another BMS on the same wire)</source>
        <translation>电池包 {n}（同一数据线上的另一个 BMS）</translation>
    </message>
    <message>
        <source>Pack 1 (the one Packbench is connected to)</source>
        <translation>电池包 1（Packbench 所连接的那个）</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Export the health page</source>
        <translation>导出健康页面</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Copy &amp;diagnostics</source>
        <translation>复制诊断信息(&amp;D)</translation>
    </message>
    <message>
        <source>Versions, system, device (without passwords) and the last log lines, for a bug report</source>
        <translation>版本、系统、设备（不含密码）和最近的日志行，用于提交问题报告</translation>
    </message>
    <message>
        <source>&amp;About Packbench</source>
        <translation>关于 Packbench(&amp;A)</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard and saved to {path}</source>
        <translation>诊断信息已复制到剪贴板，并保存到 {path}</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard</source>
        <translation>诊断信息已复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Boot</source>
        <translation>开机</translation>
    </message>
    <message>
        <source>Charge low temperature protection</source>
        <translation>充电低温保护</translation>
    </message>
    <message>
        <source>Charge low temperature protection is released</source>
        <translation>充电低温保护解除</translation>
    </message>
    <message>
        <source>Factory setting LFP</source>
        <translation>恢复 LFP 出厂设置</translation>
    </message>
</context>
<context>
    <name>HistoryPlots</name>
    <message>
        <source>Current (A)</source>
        <translation>电流 (A)</translation>
    </message>
    <message>
        <source>Power (W)</source>
        <translation>功率 (W)</translation>
    </message>
    <message>
        <source>Temperatures (°C)</source>
        <translation>温度 (°C)</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>功率</translation>
    </message>
    <message>
        <source>Cell voltage history</source>
        <translation>电芯电压历史</translation>
    </message>
    <message>
        <source>Cell voltage (V)</source>
        <translation>电芯电压 (V)</translation>
    </message>
    <message>
        <source>Seconds before now</source>
        <translation>距现在的秒数</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Connect to a board, then read its history.</source>
        <extracomment>the logbook the table shows (None: nothing read from this board yet)</extracomment>
        <translation>请连接保护板，然后读取其历史记录。</translation>
    </message>
    <message>
        <source>Read history from the board</source>
        <translation>从保护板读取历史记录</translation>
    </message>
    <message>
        <source>Export as CSV…</source>
        <translation>导出为 CSV…</translation>
    </message>
    <message>
        <source>Time since first power-up</source>
        <translation>自首次上电以来的时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>{protocol}: this board keeps no logbook of alarms and boots that Packbench can read, so there is no history to show.</source>
        <translation>{protocol}：此保护板没有 Packbench 可读取的告警与开机日志，因此没有历史记录可显示。</translation>
    </message>
    <message>
        <source>This board keeps a logbook of alarms and boots: read it with the button.</source>
        <translation>此保护板记录告警与开机日志：点击按钮即可读取。</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>{d} d {h:02d}:{m:02d}:{s:02d}</source>
        <translation>{d} 天 {h:02d}:{m:02d}:{s:02d}</translation>
    </message>
    <message>
        <source>Unknown event 0x{code:02X}</source>
        <translation>未知事件 0x{code:02X}</translation>
    </message>
    <message>
        <source>{count} events on the board; the latest {shown} are shown.</source>
        <translation>保护板上共有 {count} 条事件；显示最近的 {shown} 条。</translation>
    </message>
    <message>
        <source>{count} events on the board.</source>
        <translation>保护板上共有 {count} 条事件。</translation>
    </message>
    <message>
        <source>Export the board&apos;s logbook</source>
        <translation>导出保护板的日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>{count} events saved to {path}</source>
        <translation>已将 {count} 条事件保存到 {path}</translation>
    </message>
</context>
<context>
    <name>IdentitySection</name>
    <message>
        <source>Device name and passwords</source>
        <translation>设备名称与密码</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>设备名称</translation>
    </message>
    <message>
        <source>New board password</source>
        <translation>新的保护板密码</translation>
    </message>
    <message>
        <source>six characters</source>
        <translation>六个字符</translation>
    </message>
    <message>
        <source>Set…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Remove the password…</source>
        <translation>删除密码…</translation>
    </message>
    <message>
        <source>Connect to a board to see what can be changed.</source>
        <translation>连接保护板后即可查看可更改的内容。</translation>
    </message>
    <message>
        <source>{family} reports its setup password, and Packbench checks it before every write (it is never stored in a file). Set a new one here: Packbench writes it and reads it back. No command to change the device name is known.</source>
        <translation>{family} 会报告其设置密码，Packbench 在每次写入前都会核对（密码绝不会保存到文件中）。可在此设置新密码：Packbench 写入后会读回核对。目前没有已知的修改设备名称的命令。</translation>
    </message>
    <message>
        <source>The device name is one of {family}&apos;s settings: change it on the Parameters tab (English letters, digits and dashes, at most 31). The board&apos;s password is checked by the board itself: set or remove it here.</source>
        <translation>设备名称是 {family} 的一项设置：请在“参数”标签页中修改（英文字母、数字和短横线，最多 31 个字符）。保护板的密码由保护板自己校验：可在此处设置或删除。</translation>
    </message>
    <message>
        <source>No command to change the device name, the Bluetooth PIN or the setup password is known for {family}, so Packbench cannot change them. Use the vendor&apos;s app; the JK manual allows English letters and digits only in the name.</source>
        <translation>尚不知道 {family} 有更改设备名称、蓝牙 PIN 码或设置密码的命令，因此 Packbench 无法更改它们。请使用厂商的 App；JK 说明书规定名称中只能使用英文字母和数字。</translation>
    </message>
    <message>
        <source>The board cannot take this password: {reason}.</source>
        <translation>保护板无法使用此密码：{reason}。</translation>
    </message>
    <message>
        <source>Give the board a new password?</source>
        <translation>为保护板设置新密码？</translation>
    </message>
    <message>
        <source>Remove the board&apos;s password?</source>
        <translation>删除保护板的密码？</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>Remove the password</source>
        <translation>删除密码</translation>
    </message>
    <message>
        <source>Enter the current password below if the board has one (leave it empty if not). Packbench then checks that the board asks for the new one.</source>
        <translation>如果保护板已有密码，请在下方输入当前密码（没有则留空）。随后 Packbench 会检查保护板是否要求输入新密码。</translation>
    </message>
    <message>
        <source>Sending and checking …</source>
        <translation>正在发送并检查……</translation>
    </message>
    <message>
        <source>Verified: the board now asks for the new password. Keep it somewhere safe.</source>
        <translation>已验证：保护板现在要求输入新密码。请妥善保管。</translation>
    </message>
    <message>
        <source>Verified: the board has no password now.</source>
        <translation>已验证：保护板现在没有密码。</translation>
    </message>
    <message>
        <source>The board acknowledged, but does not behave as if its password changed.</source>
        <translation>保护板已确认，但其表现并不像密码已更改。</translation>
    </message>
</context>
<context>
    <name>Implausible</name>
    <message>
        <source>cell {n}</source>
        <translation>电芯 {n}</translation>
    </message>
    <message>
        <source>wire resistance of cell {n}</source>
        <translation>电芯 {n} 的导线电阻</translation>
    </message>
    <message>
        <source>temperature sensor {n}</source>
        <translation>温度传感器 {n}</translation>
    </message>
    <message>
        <source>{what} ({value})</source>
        <translation>{what}（{value}）</translation>
    </message>
</context>
<context>
    <name>Interlock</name>
    <message>
        <source>{lower} ({lower_value}) must be below {upper} ({upper_value}).</source>
        <translation>{lower}（{lower_value}）必须低于{upper}（{upper_value}）。</translation>
    </message>
    <message>
        <source>{key} ({value}) is above 0.1 C of the {capacity} pack: at most {limit}.</source>
        <translation>{key}（{value}）超过了 {capacity} 电池组的 0.1 C：最大为 {limit}。</translation>
    </message>
    <message>
        <source>{key} ({value}) is above what {chemistry} cells take ({limit}).</source>
        <translation>{key}（{value}）超过了 {chemistry} 电芯的承受能力（{limit}）。</translation>
    </message>
    <message>
        <source>{key} ({value}) lets {chemistry} cells charge below 0 °C, which plates lithium.</source>
        <translation>{key}（{value}）会使 {chemistry} 电芯在 0 °C 以下充电，这会导致析锂。</translation>
    </message>
    <message>
        <source>{key} ({value}): the manual suggests 0.005 V for packs of 50 Ah and more.</source>
        <translation>{key}（{value}）：说明书建议 50 Ah 及以上的电池组使用 0.005 V。</translation>
    </message>
    <message>
        <source>{key} is {value} but the board measures {measured} cells: check the wiring before writing (a cell reading 0 V or an extra cell is a wiring or configuration fault).</source>
        <translation>{key}为 {value}，但保护板检测到 {measured} 节电芯：写入前请检查接线（某节电芯读数为 0 V 或多出一节电芯，说明接线或配置有误）。</translation>
    </message>
    <message>
        <source>The highest cell measures {measured} now, above the new {key} ({value}): the board would stop charging at once. Is the chemistry right?</source>
        <translation>最高单体当前为 {measured}，高于新的{key}（{value}）：保护板会立即停止充电。电池类型是否正确？</translation>
    </message>
    <message>
        <source>The lowest cell measures {measured} now, below the new {key} ({value}): the board would stop discharging at once. Is the chemistry right?</source>
        <translation>最低单体当前为 {measured}，低于新的{key}（{value}）：保护板会立即停止放电。电池类型是否正确？</translation>
    </message>
    <message>
        <source>{key} ({value}) is outside the allowed {minimum} … {maximum}.</source>
        <translation>{key}（{value}）超出允许范围 {minimum} … {maximum}。</translation>
    </message>
    <message>
        <source>{key} ({value}) is not a multiple of the step {step}.</source>
        <translation>{key}（{value}）不是步长 {step} 的整数倍。</translation>
    </message>
    <message>
        <source>{key} ({value}) is above what any cell chemistry takes (at most {limit}, for Li-ion).</source>
        <translation>{key}（{value}）超过了任何电芯化学体系的承受能力（最高 {limit}，即锂离子电池的上限）。</translation>
    </message>
    <message>
        <source>These values are for {new} cells, but the board is set up for {old} cells now ({key} {old_value} → {value}). Write them only if the pack really is {new}.</source>
        <translation>这些数值是为 {new} 电芯设定的，但保护板当前按 {old} 电芯设置（{key} {old_value} → {value}）。只有在电池组确实是 {new} 时才写入。</translation>
    </message>
    <message>
        <source>{file} was saved from another board (serial {file_serial}; this board is {serial}). Check that it is meant for this pack.</source>
        <translation>{file} 保存自另一块保护板（序列号 {file_serial}；本保护板为 {serial}）。请确认它适用于这个电池组。</translation>
    </message>
    <message>
        <source>{file} is for a {file_cells}-cell pack; this board is set up for {cells} cells. Its pack-level values may not fit.</source>
        <translation>{file} 适用于 {file_cells} 串电池组；本保护板设置为 {cells} 串。其中电池组级别的数值可能不适用。</translation>
    </message>
    <message>
        <source>The write sets the board up for {new} cells but leaves settings made for {old} cells outside the {new} window: {settings}. Change them in the form too, or accept this only if you know why they differ.</source>
        <translation>本次写入把保护板设为 {new} 电芯，但保留了为 {old} 电芯设定、超出 {new} 范围的设置：{settings}。请在表单中一并修改；只有清楚其原因时才接受。</translation>
    </message>
    <message>
        <source>{key} stays at {value} (for {new}: {low} … {high})</source>
        <translation>{key} 仍为 {value}（{new} 应为 {low} … {high}）</translation>
    </message>
    <message>
        <source>Under-voltage order</source>
        <extracomment>each rule&apos;s short name, in words (presets.md&apos;s interlocks 1–8, Packbench&apos;s own 9–13)</extracomment>
        <translation>欠压顺序</translation>
    </message>
    <message>
        <source>Over-voltage order</source>
        <translation>过压顺序</translation>
    </message>
    <message>
        <source>Balancing between the cut-offs</source>
        <translation>均衡电压须在保护值之间</translation>
    </message>
    <message>
        <source>Temperature order</source>
        <translation>温度顺序</translation>
    </message>
    <message>
        <source>Balance current at most 0.1 C</source>
        <translation>均衡电流不超过 0.1 C</translation>
    </message>
    <message>
        <source>Chemistry limits</source>
        <translation>电芯类型的极限</translation>
    </message>
    <message>
        <source>Cell count</source>
        <translation>电芯串数</translation>
    </message>
    <message>
        <source>Allowed range</source>
        <translation>允许范围</translation>
    </message>
    <message>
        <source>Cells measured now</source>
        <translation>当前测得的单体电压</translation>
    </message>
    <message>
        <source>Chemistry change</source>
        <translation>电芯类型变更</translation>
    </message>
    <message>
        <source>File from another board</source>
        <translation>来自另一块保护板的文件</translation>
    </message>
    <message>
        <source>Switch change</source>
        <translation>开关变更</translation>
    </message>
    <message>
        <source>Left from the old chemistry</source>
        <translation>沿用旧电芯类型的设置</translation>
    </message>
    <message>
        <source>Charging below 0 °C</source>
        <extracomment>rule 6 has three parts, each with a name of its own</extracomment>
        <translation>0 °C 以下充电</translation>
    </message>
    <message>
        <source>Balance trigger of a large pack</source>
        <translation>大容量电池组的均衡压差</translation>
    </message>
</context>
<context>
    <name>JobsDialog</name>
    <message>
        <source>Jobs</source>
        <extracomment>where the packs come from</extracomment>
        <translation>批量任务</translation>
    </message>
    <message>
        <source>Device URLs, one pack per line (serial port, socket:// or sim://):</source>
        <translation>设备 URL，每行一个电池包（串口、socket:// 或 sim://）：</translation>
    </message>
    <message>
        <source>Job file:</source>
        <extracomment>where reports and the summary go (default: the data folder&apos;s jobs/JOB/) the last run&apos;s summary CSV the operator&apos;s answer while a swapped pack is awaited (True: the next one is connected)</extracomment>
        <translation>任务文件：</translation>
    </message>
    <message>
        <source>a job file (TOML or JSON)</source>
        <translation>任务文件（TOML 或 JSON）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Packs from:</source>
        <translation>电池包来源：</translation>
    </message>
    <message>
        <source>these device URLs</source>
        <translation>以下设备 URL</translation>
    </message>
    <message>
        <source>Bluetooth: scan for boards</source>
        <translation>蓝牙：扫描保护板</translation>
    </message>
    <message>
        <source>one port, swap packs</source>
        <translation>单一端口，逐个更换电池包</translation>
    </message>
    <message>
        <source>Listen for:</source>
        <translation>扫描时长：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>The pack in hand finishes; the next one waits until Resume.</source>
        <translation>当前电池包先完成；下一个等待，直到按“继续”。</translation>
    </message>
    <message>
        <source>Skip this pack</source>
        <translation>跳过此电池包</translation>
    </message>
    <message>
        <source>Ends only the pack in hand (the board is left as the write says); the run goes on.</source>
        <translation>只结束当前电池包（保护板保持写入事务所述的状态）；作业继续进行。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Not running.</source>
        <translation>未运行。</translation>
    </message>
    <message>
        <source>Next pack connected</source>
        <translation>下一个电池包已连接</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>电池包</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Open its folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <source>Choose a job file</source>
        <translation>选择任务文件</translation>
    </message>
    <message>
        <source>Job files (*.toml *.json);;All files (*)</source>
        <translation>任务文件 (*.toml *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a job file first.</source>
        <translation>请先选择任务文件。</translation>
    </message>
    <message>
        <source>This job file cannot be used: {why}</source>
        <translation>此任务文件无法使用：{why}</translation>
    </message>
    <message>
        <source>{s:g} s</source>
        <translation>{s:g} 秒</translation>
    </message>
    <message>
        <source>the default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Job {ref}: {target}; operator {operator}; rest before the sealing checks: {rest}</source>
        <translation>任务 {ref}：{target}；操作员 {operator}；封装检查前静置：{rest}</translation>
    </message>
    <message>
        <source>The Bluetooth boards advertising a known family are taken, strongest signal first; a board already done in this job is refused once it is identified.</source>
        <translation>取用广播已知型号系列的蓝牙保护板，信号最强的优先；本作业中已完成的保护板在识别后即被拒绝。</translation>
    </message>
    <message>
        <source>The one port the packs are swapped on (one device URL); after each pack you are asked to connect the next one:</source>
        <translation>更换电池包所用的唯一端口（一个设备 URL）；每个电池包完成后会提示您连接下一个：</translation>
    </message>
    <message>
        <source>A run is going on: stop it first.</source>
        <translation>任务正在运行：请先停止。</translation>
    </message>
    <message>
        <source>Not started: the window is connected to a board. Disconnect it first (Connection tab): each pack of a job opens its own link.</source>
        <translation>未开始：窗口已连接到一块保护板。请先断开连接（“连接”页）：任务中的每个电池包都会打开自己的连接。</translation>
    </message>
    <message>
        <source>Not started: give the device URL of each pack, one per line.</source>
        <translation>未开始：请给出每个电池包的设备 URL，每行一个。</translation>
    </message>
    <message>
        <source>Not started: give exactly one device URL, the port the packs are swapped on.</source>
        <translation>未开始：请只给出一个设备 URL，即更换电池包所用的端口。</translation>
    </message>
    <message>
        <source>switched off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Not started: the pack registry cannot be used ({why}); a job needs it to know which packs are done.</source>
        <translation>未开始：电池包登记库无法使用（{why}）；批量任务需要它来确定哪些电池包已完成。</translation>
    </message>
    <message>
        <source>Not started: the job&apos;s password export cannot be read: {why}</source>
        <translation>未开始：无法读取该任务导出的密码文件：{why}</translation>
    </message>
    <message>
        <source>Not connected: the Jobs panel is running a job (stop it first).</source>
        <translation>未连接：“批量任务”面板正在运行任务（请先停止它）。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Stopping: the pack in hand ends first…</source>
        <translation>正在停止：先结束当前电池包…</translation>
    </message>
    <message>
        <source>Skipping the pack in hand…</source>
        <translation>正在跳过当前电池包…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pausing: the pack in hand finishes, then the run waits.</source>
        <translation>正在暂停：当前电池包完成后，作业将等待。</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>已继续。</translation>
    </message>
    <message>
        <source>Pack done. Connect the next pack to {url}, then press Next pack connected (Finish ends the job).</source>
        <translation>电池包已完成。请将下一个电池包连接到 {url}，然后按“下一个电池包已连接”（“结束”将结束本作业）。</translation>
    </message>
    <message>
        <source>Waiting for the next pack.</source>
        <translation>正在等待下一个电池包。</translation>
    </message>
    <message>
        <source>Scanning for Bluetooth boards ({s:g} s)…</source>
        <translation>正在扫描蓝牙保护板（{s:g} 秒）…</translation>
    </message>
    <message>
        <source>The Bluetooth scan failed: {why}</source>
        <translation>蓝牙扫描失败：{why}</translation>
    </message>
    <message>
        <source>No boards found.</source>
        <translation>未找到保护板。</translation>
    </message>
    <message>
        <source>Pack {i}: connecting to {url}</source>
        <translation>电池包 {i}：正在连接 {url}</translation>
    </message>
    <message>
        <source>Pack {i} of {n}: connecting to {url}</source>
        <translation>第 {i} 个电池包（共 {n} 个）：正在连接 {url}</translation>
    </message>
    <message>
        <source>Paused: the next pack waits until you press Resume.</source>
        <translation>已暂停：下一个电池包将等待，直到您按“继续”。</translation>
    </message>
    <message>
        <source>Now: {what}</source>
        <translation>当前：{what}</translation>
    </message>
    <message>
        <source>in progress: {what}</source>
        <translation>进行中：{what}</translation>
    </message>
    <message>
        <source>Pack {n} ({serial}) is resting before its sealing checks: {left:.1f} s to go (its current must stay at most {a:g} A)</source>
        <translation>电池包 {n}（{serial}）正在封装检查前静置：还剩 {left:.1f} 秒（电流须保持在 {a:g} A 以内）</translation>
    </message>
    <message>
        <source>in progress: connecting</source>
        <translation>进行中：正在连接</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Already done</source>
        <translation>已完成过</translation>
    </message>
    <message>
        <source>(not identified)</source>
        <translation>（未识别）</translation>
    </message>
    <message>
        <source>Board password: {what}</source>
        <translation>保护板密码：{what}</translation>
    </message>
    <message>
        <source>{s:.1f} s</source>
        <translation>{s:.1f} 秒</translation>
    </message>
    <message>
        <source>board {board:.1f} s, rest {rest:.1f} s, other {other:.0f} %, {frames} frames sent</source>
        <translation>保护板 {board:.1f} 秒，静置 {rest:.1f} 秒，其他 {other:.0f} %，已发送 {frames} 帧</translation>
    </message>
    <message>
        <source>Double-click to open {path}</source>
        <translation>双击打开 {path}</translation>
    </message>
    <message>
        <source>{n} pack(s): {ok} passed, {np} not passed, {bad} failed, {done} already done.</source>
        <translation>{n} 个电池包：{ok} 个通过，{np} 个未通过，{bad} 个失败，{done} 个已完成过。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>The summary was not saved: {why}</source>
        <translation>汇总未保存：{why}</translation>
    </message>
    <message>
        <source>Summary CSV: {path}</source>
        <translation>汇总 CSV：{path}</translation>
    </message>
    <message>
        <source>Board passwords for the customer (keep it safe): {path}</source>
        <translation>给客户的保护板密码（请妥善保管）：{path}</translation>
    </message>
</context>
<context>
    <name>LiveHistory</name>
    <message>
        <source>T{n}</source>
        <extracomment>samples kept per series (60 s at 10 frames/s, 5 min at 2/s) the per-cell ring buffer (its name before the other series joined it)</extracomment>
        <translation>T{n}</translation>
    </message>
    <message>
        <source>MOS</source>
        <translation>MOS</translation>
    </message>
    <message>
        <source>balancer</source>
        <translation>均衡器</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Seconds before the cursor</source>
        <extracomment>the history plots are redrawn every this many timer ticks (5 Hz): they move slowly, and the cells&apos; 32 paths are the most expensive thing on the page current below this counts as idle (sensor noise) the fields whose absence the page names (&quot;not reported&quot;); ``temperatures``: any of them the Record button (None on a page that shows a replayed log) the fields some snapshot of this session carried (the rest are &quot;not reported&quot;) how many redraws actually drew (tests and benchmarks look at it)</extracomment>
        <translation>距光标秒数</translation>
    </message>
    <message>
        <source>Pack voltage</source>
        <translation>总电压</translation>
    </message>
    <message>
        <source>avg cell {v:.3f} V</source>
        <translation>单体平均 {v:.3f} V</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>discharging</source>
        <translation>放电中</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>功率</translation>
    </message>
    <message>
        <source>State of charge</source>
        <translation>荷电状态（SOC）</translation>
    </message>
    <message>
        <source>Cell delta</source>
        <translation>压差</translation>
    </message>
    <message>
        <source>avg {v:.3f} V</source>
        <translation>平均 {v:.3f} V</translation>
    </message>
    <message>
        <source>Lowest cell</source>
        <translation>最低单体</translation>
    </message>
    <message>
        <source>cell {n}</source>
        <translation>电芯 {n}</translation>
    </message>
    <message>
        <source>Highest cell</source>
        <translation>最高单体</translation>
    </message>
    <message>
        <source>{v:.2f} V</source>
        <translation>{v:.2f} V</translation>
    </message>
    <message>
        <source>charging</source>
        <translation>充电中</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>静置</translation>
    </message>
    <message>
        <source>{a:+.2f} A</source>
        <translation>{a:+.2f} A</translation>
    </message>
    <message>
        <source>{a:+.1f} A</source>
        <translation>{a:+.1f} A</translation>
    </message>
    <message>
        <source>{w:.0f} W</source>
        <translation>{w:.0f} W</translation>
    </message>
    <message>
        <source>{kw:.2f} kW</source>
        <translation>{kw:.2f} kW</translation>
    </message>
    <message>
        <source>{p:.0f} %</source>
        <translation>{p:.0f} %</translation>
    </message>
    <message>
        <source>{mv:.0f} mV</source>
        <translation>{mv:.0f} mV</translation>
    </message>
    <message>
        <source>{v:.3f} V</source>
        <translation>{v:.3f} V</translation>
    </message>
    <message>
        <source>Not shown: values no battery can have, as the board sent them: {values}</source>
        <translation>未显示：板子发来的、任何电池都不可能有的数值：{values}</translation>
    </message>
</context>
<context>
    <name>LiveStatus</name>
    <message>
        <source>The board&apos;s limit: {setting} {value} {unit}</source>
        <extracomment>fields whose absence the rows name (``temperatures``: any of the three)</extracomment>
        <translation>保护板自身的限值：{setting} {value} {unit}</translation>
    </message>
    <message>
        <source>Alarm: {alarm}</source>
        <translation>告警：{alarm}</translation>
    </message>
    <message>
        <source>Charge MOSFET</source>
        <translation>充电MOS</translation>
    </message>
    <message>
        <source>Discharge MOSFET</source>
        <translation>放电MOS</translation>
    </message>
    <message>
        <source>Balancer</source>
        <translation>均衡器</translation>
    </message>
    <message>
        <source>BALANCING</source>
        <translation>均衡中</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Temperatures</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Capacity {left:.1f} of {full:.1f} Ah</source>
        <translation>容量 {left:.1f} / {full:.1f} Ah</translation>
    </message>
    <message>
        <source>SOH {value}</source>
        <translation>健康度 {value}</translation>
    </message>
    <message>
        <source>Cycles {n}</source>
        <translation>循环次数 {n}</translation>
    </message>
    <message>
        <source>Protection trips counted by the board</source>
        <translation>保护板统计的保护触发次数</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>restarts {n}</source>
        <translation>重启 {n} 次</translation>
    </message>
    <message>
        <source>IDLE</source>
        <translation>未均衡</translation>
    </message>
    <message>
        <source>Capacity {left:.1f} Ah</source>
        <translation>容量 {left:.1f} Ah</translation>
    </message>
    <message>
        <source>Cycle capacity {value}</source>
        <translation>循环容量 {value}</translation>
    </message>
    <message>
        <source>No alarms</source>
        <translation>无告警</translation>
    </message>
    <message>
        <source>T{n} {c:.1f} °C</source>
        <translation>T{n} {c:.1f} °C</translation>
    </message>
    <message>
        <source>MOS {c:.1f} °C</source>
        <translation>MOS {c:.1f} °C</translation>
    </message>
    <message>
        <source>balancer {c:.1f} °C</source>
        <translation>均衡器 {c:.1f} °C</translation>
    </message>
</context>
<context>
    <name>LogSidePanel</name>
    <message>
        <source>Selection</source>
        <extracomment>the panel&apos;s width: the plots get the rest rows of the per-cell table that are always on screen a cell&apos;s check box (0-based cell, shown)</extracomment>
        <translation>选定范围</translation>
    </message>
    <message>
        <source>Cells shown</source>
        <translation>显示的电芯</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>电芯</translation>
    </message>
    <message>
        <source>Lowest</source>
        <translation>最低</translation>
    </message>
    <message>
        <source>at</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Highest</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>缩放到选定范围</translation>
    </message>
    <message>
        <source>Select what is shown</source>
        <translation>选中当前显示的范围</translation>
    </message>
    <message>
        <source>Show the whole log</source>
        <translation>显示整个日志</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save picture (PNG)…</source>
        <translation>保存图片 (PNG)…</translation>
    </message>
    <message>
        <source>Save selection (CSV)…</source>
        <translation>保存选定范围 (CSV)…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Show every cell</source>
        <translation>显示所有电芯</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Hide every cell</source>
        <translation>隐藏所有电芯</translation>
    </message>
    <message>
        <source>Lowest and highest</source>
        <translation>最低和最高</translation>
    </message>
    <message>
        <source>Only the cells that went lowest and highest in the selection</source>
        <translation>仅显示选定范围内电压最低和最高的电芯</translation>
    </message>
    <message>
        <source>Cell {n}</source>
        <translation>电芯 {n}</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>{s:.1f} s into the log</source>
        <translation>日志第 {s:.1f} s</translation>
    </message>
    <message>
        <source>{date} {time} UTC</source>
        <translation>{date} {time} UTC</translation>
    </message>
    <message>
        <source>{d} d {h:02d}:{m:02d}:{s:02d}</source>
        <translation>{d} 天 {h:02d}:{m:02d}:{s:02d}</translation>
    </message>
    <message>
        <source>{h:02d}:{m:02d}:{s:02d}</source>
        <translation>{h:02d}:{m:02d}:{s:02d}</translation>
    </message>
    <message>
        <source>Opening …</source>
        <translation>正在打开 …</translation>
    </message>
    <message>
        <source>Overview</source>
        <extracomment>lines the readout under the plots always has room for (it grows, never shrinks) the log is on screen (LogData) it could not be opened (a message for people)</extracomment>
        <translation>概览</translation>
    </message>
    <message>
        <source>Cells (playback)</source>
        <translation>电芯（回放）</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Play the log through the Cells page from the cursor</source>
        <translation>从光标处开始在“电芯”页面回放日志</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ 暂停</translation>
    </message>
    <message>
        <source>{n}× speed</source>
        <translation>{n}× 速度</translation>
    </message>
    <message>
        <source>Drag to move through the log</source>
        <translation>拖动以在日志中移动</translation>
    </message>
    <message>
        <source>{when} · row {row} of {rows}</source>
        <translation>{when} · 第 {row} / {rows} 行</translation>
    </message>
    <message>
        <source>Could not open {name}: {reason}</source>
        <translation>无法打开 {name}：{reason}</translation>
    </message>
    <message>
        <source>serial {sn}</source>
        <translation>序列号 {sn}</translation>
    </message>
    <message>
        <source>{start} → {end}</source>
        <translation>{start} → {end}</translation>
    </message>
    <message>
        <source>{duration}, {rows} rows, {cells} cells</source>
        <translation>{duration}，{rows} 行，{cells} 节电芯</translation>
    </message>
    <message>
        <source>Opened with a warning: {text}</source>
        <translation>已打开，但有警告：{text}</translation>
    </message>
    <message>
        <source>{v:.2f} V</source>
        <translation>{v:.2f} V</translation>
    </message>
    <message>
        <source>{a:+.2f} A</source>
        <translation>{a:+.2f} A</translation>
    </message>
    <message>
        <source>SOC {p:.0f} %</source>
        <translation>SOC {p:.0f} %</translation>
    </message>
    <message>
        <source>Pack: {values}</source>
        <translation>电池组：{values}</translation>
    </message>
    <message>
        <source>Lowest: cell {n} {v:.3f} V</source>
        <translation>最低：电芯 {n} {v:.3f} V</translation>
    </message>
    <message>
        <source>highest: cell {n} {v:.3f} V</source>
        <translation>最高：电芯 {n} {v:.3f} V</translation>
    </message>
    <message>
        <source>Spread {mv:.0f} mV</source>
        <translation>压差 {mv:.0f} mV</translation>
    </message>
    <message>
        <source>T{n} {c:.1f} °C</source>
        <translation>T{n} {c:.1f} °C</translation>
    </message>
    <message>
        <source>MOS {c:.1f} °C</source>
        <translation>MOS {c:.1f} °C</translation>
    </message>
    <message>
        <source>No rows in the selection.</source>
        <translation>选定范围内没有数据行。</translation>
    </message>
    <message>
        <source>{duration}, {rows} rows</source>
        <translation>{duration}，{rows} 行</translation>
    </message>
    <message>
        <source>Energy in {ein} · out {eout}</source>
        <translation>充入能量 {ein} · 放出能量 {eout}</translation>
    </message>
    <message>
        <source>Charge in {qin:.2f} Ah · out {qout:.2f} Ah</source>
        <translation>充入电量 {qin:.2f} Ah · 放出电量 {qout:.2f} Ah</translation>
    </message>
    <message>
        <source>Largest spread {mv:.0f} mV at {when}</source>
        <translation>最大压差 {mv:.0f} mV，时间 {when}</translation>
    </message>
    <message>
        <source>local time, {offset}</source>
        <translation>本地时间，{offset}</translation>
    </message>
    <message>
        <source>MOS</source>
        <translation>MOS</translation>
    </message>
    <message>
        <source>balancer</source>
        <translation>均衡器</translation>
    </message>
    <message>
        <source>T{n}</source>
        <translation>T{n}</translation>
    </message>
    <message>
        <source>{name} {c:.1f} °C</source>
        <translation>{name} {c:.1f} °C</translation>
    </message>
    <message>
        <source>cell {low} lowest, cell {high} highest</source>
        <translation>电芯 {low} 最低，电芯 {high} 最高</translation>
    </message>
    <message>
        <source>Sagged most: cell {n}, {v:.3f} V at {when}</source>
        <translation>压降最大：电芯 {n}，{when} 时为 {v:.3f} V</translation>
    </message>
    <message>
        <source>pack {lo:.2f}–{hi:.2f} V</source>
        <translation>总电压 {lo:.2f}–{hi:.2f} V</translation>
    </message>
    <message>
        <source>current {lo:+.1f} to {hi:+.1f} A</source>
        <translation>电流 {lo:+.1f} 至 {hi:+.1f} A</translation>
    </message>
    <message>
        <source>hottest {c:.1f} °C</source>
        <translation>最高温度 {c:.1f} °C</translation>
    </message>
    <message>
        <source>Alarms: {list}</source>
        <translation>告警：{list}</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>已保存 {name}</translation>
    </message>
    <message>
        <source>Could not save {name}</source>
        <translation>无法保存 {name}</translation>
    </message>
    <message>
        <source>Save the overview as a picture</source>
        <translation>将概览保存为图片</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Save the selected rows</source>
        <translation>保存选定的数据行</translation>
    </message>
    <message>
        <source>CSV logs (*.csv)</source>
        <translation>CSV 日志 (*.csv)</translation>
    </message>
    <message>
        <source>Saving {name} …</source>
        <translation>正在保存 {name} …</translation>
    </message>
    <message>
        <source>Could not save {name}: {reason}</source>
        <translation>无法保存 {name}：{reason}</translation>
    </message>
    <message>
        <source>Saved {rows} rows to {name}</source>
        <translation>已将 {rows} 行保存到 {name}</translation>
    </message>
    <message>
        <source>{kwh:.2f} kWh</source>
        <translation>{kwh:.2f} kWh</translation>
    </message>
    <message>
        <source>{wh:.1f} Wh</source>
        <translation>{wh:.1f} Wh</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Packbench</source>
        <translation>Packbench</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Live cells</source>
        <translation>实时电芯</translation>
    </message>
    <message>
        <source>Pack health</source>
        <translation>电池包健康</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>writes refused: {why}</source>
        <translation>拒绝写入：{why}</translation>
    </message>
    <message>
        <source>Live — {model} ({protocol}) on {url}</source>
        <translation>在线 — {model}（{protocol}），{url}</translation>
    </message>
    <message>
        <source>Live on {url}</source>
        <translation>在线：{url}</translation>
    </message>
    <message>
        <source>Connecting to {url} …</source>
        <translation>正在连接 {url} …</translation>
    </message>
    <message>
        <source>Connected to {url}; asking the board who it is …</source>
        <translation>已连接 {url}；正在识别保护板 …</translation>
    </message>
    <message>
        <source>Reconnecting: {reason}</source>
        <translation>正在重新连接：{reason}</translation>
    </message>
    <message>
        <source>Reconnecting …</source>
        <translation>正在重新连接 …</translation>
    </message>
    <message>
        <source>Writing settings to the board …</source>
        <translation>正在向保护板写入参数 …</translation>
    </message>
    <message>
        <source>Disconnected: {reason}</source>
        <translation>已断开：{reason}</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open log…</source>
        <translation>打开日志(&amp;O)…</translation>
    </message>
    <message>
        <source>Recent logs</source>
        <translation>最近的日志</translation>
    </message>
    <message>
        <source>&amp;Packs…</source>
        <translation>电池组登记(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Jobs…</source>
        <translation>批量任务(&amp;J)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Open a log</source>
        <translation>打开日志</translation>
    </message>
    <message>
        <source>CSV logs (*.csv);;All files (*)</source>
        <translation>CSV 日志 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Close this log</source>
        <translation>关闭此日志</translation>
    </message>
</context>
<context>
    <name>MeasureStep</name>
    <message>
        <source>Put the meter&apos;s probes on the pack&apos;s main terminals (B+ and B−), not on a balance lead, and set it to DC volts. Enter the value the meter shows.</source>
        <translation>将万用表表笔接在电池组的主端子（B+ 和 B−）上，而不是均衡线上，并设置为直流电压档。输入万用表显示的数值。</translation>
    </message>
    <message>
        <source>Let a steady current flow: at least 1 A from a charger or a load. Put a clamp meter around one main lead and enter what it shows: positive while charging, negative while discharging.</source>
        <translation>让电流稳定流过：由充电器或负载提供至少 1 A 的电流。将钳形表夹在一根主线缆上，输入其显示值：充电时为正，放电时为负。</translation>
    </message>
    <message>
        <source>Send the meter&apos;s value to the board</source>
        <translation>将仪表数值发送到保护板</translation>
    </message>
    <message>
        <source>Packbench averages three readings before and after, and refuses a value that looks like a typo or a meter on the wrong range: then nothing is sent.</source>
        <translation>Packbench 会在校准前后各取三次读数的平均值，并拒绝疑似输入错误或仪表量程选错的数值：此时不会发送任何内容。</translation>
    </message>
    <message>
        <source>The board reads now</source>
        <translation>保护板当前读数</translation>
    </message>
    <message>
        <source>The meter reads (V)</source>
        <translation>万用表读数 (V)</translation>
    </message>
    <message>
        <source>The meter reads (A, + charging)</source>
        <translation>仪表读数（A，充电为 +）</translation>
    </message>
</context>
<context>
    <name>OffStep</name>
    <message>
        <source>The manual&apos;s procedure: with charging and discharging switched off, measure the pack voltage at the battery terminals with a meter, enter it, then switch both back on. Packbench does the switching for you and reminds you at the end.</source>
        <translation>说明书中的步骤：在充电和放电均关闭的情况下，用万用表测量电池组端子处的总电压，输入该值，然后重新开启充电和放电。Packbench 会替您完成开关操作，并在最后提醒您。</translation>
    </message>
    <message>
        <source>Stop the motor controller, the charger and any load first.</source>
        <translation>请先停止电机控制器、充电器和所有负载。</translation>
    </message>
    <message>
        <source>Switch charging and discharging off</source>
        <translation>关闭充电和放电</translation>
    </message>
</context>
<context>
    <name>OnStep</name>
    <message>
        <source>Charging and discharging are still OFF: the pack delivers no power and cannot be charged until they are switched back on.</source>
        <translation>充电和放电仍处于关闭状态：在重新开启之前，电池组不输出电能，也无法充电。</translation>
    </message>
    <message>
        <source>Switch charging and discharging back on</source>
        <translation>重新开启充电和放电</translation>
    </message>
</context>
<context>
    <name>OverviewPlots</name>
    <message>
        <source>Cells (V)</source>
        <extracomment>how many points the last refresh drew (tests and the benchmark look at it)</extracomment>
        <translation>电芯 (V)</translation>
    </message>
    <message>
        <source>Spread mV</source>
        <translation>压差 mV</translation>
    </message>
    <message>
        <source>Pack V</source>
        <translation>总电压 V</translation>
    </message>
    <message>
        <source>Current A</source>
        <translation>电流 A</translation>
    </message>
    <message>
        <source>Temp. °C</source>
        <translation>温度 °C</translation>
    </message>
    <message>
        <source>Seconds into the log</source>
        <translation>日志内秒数</translation>
    </message>
    <message>
        <source>Time ({zone})</source>
        <translation>时间（{zone}）</translation>
    </message>
</context>
<context>
    <name>PackHealth</name>
    <message>
        <source>cells further apart than this: balance externally before blaming the BMS</source>
        <extracomment>every number the diagnosis compares with, and where it comes from: ONE table</extracomment>
        <translation>电芯压差超过此值：先在外部均衡，再去怀疑 BMS</translation>
    </message>
    <message>
        <source>Pack delta &gt;150 mV: Use TP4056 boards or a bench supply with crocodile clips to top each weak parallel group before reconnecting the charger; leave the BMS in-circuit so protections stay active.</source>
        <translation>电池包压差 &gt;150 mV：在重新接上充电器之前，用 TP4056 模块或带鳄鱼夹的台式电源把每个偏弱的并联组充满；让 BMS 保持在电路中，使保护继续有效。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Balancing &amp; State-of-Charge Management</source>
        <translation>小米电池指南，“均衡与荷电状态管理”</translation>
    </message>
    <message>
        <source>a group this far below the median of the others is a weak group</source>
        <translation>某组比其他组的中位数低这么多即为弱组</translation>
    </message>
    <message>
        <source>Balance stubborn packs externally before blaming the BMS. Clip TP4056 or lab-charger leads onto the weakest parallel groups without removing the board.</source>
        <translation>难以均衡的电池包先在外部均衡，再去怀疑 BMS。不拆板子，把 TP4056 或实验室充电器的夹子夹到最弱的并联组上。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Key Principles (the number is the guide&apos;s pack-delta limit, applied to one group)</source>
        <translation>小米电池指南，“关键原则”（数值取自指南的电池包压差上限，用于单个组）</translation>
    </message>
    <message>
        <source>what the stock BMS bleeds to balance: too little to close a large gap</source>
        <translation>原厂 BMS 均衡时的放电电流：不足以消除较大的压差</translation>
    </message>
    <message>
        <source>Xiaomi BMS boards only bleed around 30 mA; leave the pack on charge overnight or top the low group with a bench supply after disconnecting the BMS.</source>
        <translation>小米 BMS 板的均衡放电电流只有约 30 mA；让电池包充电过夜，或断开 BMS 后用台式电源给低的那组补电。</translation>
    </message>
    <message>
        <source>a cell at or below this is deep-discharged: recovery charge, gently</source>
        <translation>电芯等于或低于此值即为深度放电：需温和地恢复充电</translation>
    </message>
    <message>
        <source>Pack rests around 3.0–3.3 V per cell and refuses to charge: Treat the cutoff as normal Happy/Ninebot protection; bring voltage up gently and resume balancing before chasing a BMS replacement.</source>
        <translation>电池包静置在每节约 3.0–3.3 V 并拒绝充电：把这种截止视为 Happy/九号的正常保护；先温和地把电压提上来并恢复均衡，再考虑更换 BMS。</translation>
    </message>
    <message>
        <source>a cell below this is recharged on its own, not through the pack</source>
        <translation>电芯低于此值应单独充电，而不是通过整包充电</translation>
    </message>
    <message>
        <source>disconnect immediately, recharge sub-2 V cells individually, and tidy sloppy sensor wiring before condemning hardware.</source>
        <translation>立即断开，把低于 2 V 的电芯单独充电，并整理好凌乱的传感器接线，然后再判定硬件损坏。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Charging &amp; Hardware Upgrades</source>
        <translation>小米电池指南，“充电与硬件升级”</translation>
    </message>
    <message>
        <source>a sensor at or below this reads the bottom of its register (byte 0): open or missing</source>
        <translation>传感器读数等于或低于此值即为寄存器的最低值（字节 0）：开路或缺失</translation>
    </message>
    <message>
        <source>Failed OEM temperature sensors often lock the stock BMS; disconnect Rita, test both probes, and replace the bad sensor before condemning the adapter.</source>
        <translation>原厂温度传感器损坏常会锁住原厂 BMS；断开 Rita，测试两个探头，并更换坏的传感器，然后再判定转接器损坏。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Balancing &amp; State-of-Charge Management (the number: the register holds °C + 20 in one byte)</source>
        <translation>小米电池指南，“均衡与荷电状态管理”（数值：寄存器以一个字节保存 °C + 20）</translation>
    </message>
    <message>
        <source>a sensor at or above this on a pack that is not burning is a failed sensor</source>
        <translation>未着火的电池包上传感器读数等于或高于此值即为传感器损坏</translation>
    </message>
    <message>
        <source>Xiaomi battery guide (the number is Packbench&apos;s)</source>
        <translation>小米电池指南（数值由 Packbench 设定）</translation>
    </message>
    <message>
        <source>two sensors of one pack further apart than this: one of them has failed</source>
        <translation>同一电池包的两个传感器相差超过此值：其中一个已损坏</translation>
    </message>
    <message>
        <source>colder than this: let the pack warm up before charging</source>
        <translation>低于此温度：先让电池包回暖再充电</translation>
    </message>
    <message>
        <source>Charge between ~5 °C and 55 °C; brief 28–29 °C top-offs are fine, but let cold-soaked packs warm before plugging in to avoid plating.</source>
        <translation>在约 5 °C 到 55 °C 之间充电；在 28–29 °C 短时补电没有问题，但冻透的电池包要先回暖再插电，以免析锂。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Temperature Guardrails</source>
        <translation>小米电池指南，“温度防护”</translation>
    </message>
    <message>
        <source>hotter than this: let the pack cool down before charging</source>
        <translation>高于此温度：先让电池包冷却再充电</translation>
    </message>
    <message>
        <source>capacity health below this: the pack is worn out</source>
        <translation>容量健康度低于此值：电池包已报废</translation>
    </message>
    <message>
        <source>health (SOH) %; &lt;60 % = bad battery</source>
        <translation>健康度（SOH）%；&lt;60 % = 坏电池</translation>
    </message>
    <message>
        <source>Packbench&apos;s research notes on the BMS registers (register 0x3B, after the BotoX open firmware); the guide gives no percentage</source>
        <translation>Packbench 关于 BMS 寄存器的研究笔记（寄存器 0x3B，依据 BotoX 开源固件）；指南中没有给出百分比</translation>
    </message>
    <message>
        <source>capacity health below this: the pack is noticeably worn</source>
        <translation>容量健康度低于此值：电池包已明显老化</translation>
    </message>
    <message>
        <source>Suspect replacement capacity: Time a full charge with the OEM 1.7 A brick.</source>
        <translation>怀疑替换电池的容量：用原厂 1.7 A 充电器为一次完整充电计时。</translation>
    </message>
    <message>
        <source>Xiaomi battery guide, Balancing &amp; State-of-Charge Management (the number is Packbench&apos;s: a fifth of the capacity gone)</source>
        <translation>小米电池指南，“均衡与荷电状态管理”（数值由 Packbench 设定：容量少了五分之一）</translation>
    </message>
    <message>
        <source>the stock charger&apos;s current, for how long a full charge takes</source>
        <translation>原厂充电器的电流，用于估算完整充电所需时间</translation>
    </message>
    <message>
        <source>each hour adds ≈1.7 Ah, so a genuine 12 Ah Pro 2 pack should take close to seven hours from empty.</source>
        <translation>每小时约充入 1.7 Ah，因此一块真正的 12 Ah Pro 2 电池包从空到满应需要将近七小时。</translation>
    </message>
    <message>
        <source>The BMS has not told its serial number and firmware yet.</source>
        <extracomment>status flags (decode.py) that mean the BMS refuses to charge the current below which the pack is not being charged (sensor noise)</extracomment>
        <translation>BMS 尚未报告其序列号和固件版本。</translation>
    </message>
    <message>
        <source>For the job sheet: serial number {serial}, BMS firmware {firmware}, made {made}.</source>
        <translation>工单信息：序列号 {serial}，BMS 固件 {firmware}，生产日期 {made}。</translation>
    </message>
    <message>
        <source>The pack was made on {made}: it is {years:.1f} years old.</source>
        <translation>电池包生产于 {made}：已使用 {years:.1f} 年。</translation>
    </message>
    <message>
        <source>Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the {design:.2f} Ah it was built with (the BMS&apos;s own health figure: {soh} %). Below 60 % the pack is worn out: replace the cells rather than repair the BMS.</source>
        <translation>容量健康度 {pct:.0f} %：电池包能存 {full:.2f} Ah，出厂为 {design:.2f} Ah（BMS 自身的健康度：{soh} %）。低于 60 % 电池包即已报废：应更换电芯，而不是修 BMS。</translation>
    </message>
    <message>
        <source>Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the {design:.2f} Ah it was built with (the BMS&apos;s own health figure: {soh} %). It is noticeably worn: expect less range.</source>
        <translation>容量健康度 {pct:.0f} %：电池包能存 {full:.2f} Ah，出厂为 {design:.2f} Ah（BMS 自身的健康度：{soh} %）。它已明显老化：续航会变短。</translation>
    </message>
    <message>
        <source>Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the {design:.2f} Ah it was built with (the BMS&apos;s own health figure: {soh} %).</source>
        <translation>容量健康度 {pct:.0f} %：电池包能存 {full:.2f} Ah，出厂为 {design:.2f} Ah（BMS 自身的健康度：{soh} %）。</translation>
    </message>
    <message>
        <source>A full charge from empty with the stock 1.7 A charger should take about {hours:.1f} h for {full:.2f} Ah; a much shorter charge means less capacity than the BMS claims.</source>
        <translation>用原厂 1.7 A 充电器从空充满 {full:.2f} Ah 约需 {hours:.1f} 小时；若充电时间短得多，说明实际容量比 BMS 报告的小。</translation>
    </message>
    <message>
        <source>The BMS&apos;s own health figure is {soh:.0f} % (its design capacity is not known yet).</source>
        <translation>BMS 自身的健康度为 {soh:.0f} %（其设计容量尚不知道）。</translation>
    </message>
    <message>
        <source>The BMS counts {cycles} full charge cycles and {charges} charges.</source>
        <translation>BMS 记录了 {cycles} 次完整充电循环和 {charges} 次充电。</translation>
    </message>
    <message>
        <source>No cell voltages yet.</source>
        <translation>尚无电芯电压。</translation>
    </message>
    <message>
        <source>The cells are {delta:.0f} mV apart (group {lo_n} at {lo:.3f} V, group {hi_n} at {hi:.3f} V), more than 150 mV: balance externally before blaming the BMS. Its balancer bleeds only about 30 mA, so top the low group with a bench supply or a TP4056 board.</source>
        <translation>电芯压差为 {delta:.0f} mV（第 {lo_n} 组 {lo:.3f} V，第 {hi_n} 组 {hi:.3f} V），超过 150 mV：先在外部均衡，再去怀疑 BMS。它的均衡电流只有约 30 mA，所以请用台式电源或 TP4056 模块给低的那组补电。</translation>
    </message>
    <message>
        <source>The cells are within {delta:.0f} mV of each other ({lo:.3f}–{hi:.3f} V): balanced well enough (the guide&apos;s limit is 150 mV).</source>
        <translation>电芯之间相差不超过 {delta:.0f} mV（{lo:.3f}–{hi:.3f} V）：均衡良好（指南的上限为 150 mV）。</translation>
    </message>
    <message>
        <source>Group {n} is a weak group: {gap:.0f} mV below the others ({v:.3f} V against {median:.3f} V). Meter it, top it up on its own, and replace the group if it sags again.</source>
        <translation>第 {n} 组是弱组：比其他组低 {gap:.0f} mV（{v:.3f} V，其他组为 {median:.3f} V）。用万用表测量它，单独给它补电；如果电压再次下降，就更换这一组。</translation>
    </message>
    <message>
        <source>Deep discharge: {count} group(s) at or below 3.0 V (lowest: group {n} at {v:.3f} V). The BMS stops at this floor and may refuse to charge: recovery charge, gently — bring the voltage up slowly at a low current, then balance.</source>
        <translation>深度放电：{count} 组等于或低于 3.0 V（最低：第 {n} 组 {v:.3f} V）。BMS 在此下限停止工作，并可能拒绝充电：需温和地恢复充电——以小电流缓慢提升电压，然后再均衡。</translation>
    </message>
    <message>
        <source>Group {n} is below 2 V ({v:.3f} V): recharge it on its own before charging the pack.</source>
        <translation>第 {n} 组低于 2 V（{v:.3f} V）：在给整包充电之前先单独给它充电。</translation>
    </message>
    <message>
        <source>A temperature sensor reads {values} °C, which no pack on a bench has: a failed or unplugged NTC. A failed sensor can lock charging: test both probes and replace the bad one.</source>
        <translation>有一个温度传感器读数为 {values} °C，工作台上的电池包不可能是这个温度：NTC 已损坏或未插好。损坏的传感器会锁住充电：测试两个探头并更换坏的那个。</translation>
    </message>
    <message>
        <source>The two temperature sensors read {t1:.0f} °C and {t2:.0f} °C, {d:.0f} °C apart in one pack: one of them has probably failed, and a failed sensor can lock charging.</source>
        <translation>两个温度传感器分别读数 {t1:.0f} °C 和 {t2:.0f} °C，在同一电池包中相差 {d:.0f} °C：其中一个很可能已损坏，而损坏的传感器会锁住充电。</translation>
    </message>
    <message>
        <source>The temperature sensors read plausible values ({values} °C).</source>
        <translation>温度传感器读数合理（{values} °C）。</translation>
    </message>
    <message>
        <source>The pack is at {t:.0f} °C, outside the 5–55 °C it should be charged in: let it warm up or cool down first.</source>
        <translation>电池包温度为 {t:.0f} °C，超出应充电的 5–55 °C 范围：请先让它回暖或冷却。</translation>
    </message>
    <message>
        <source>The BMS refuses to charge although the cells are fine ({lo:.3f}–{hi:.3f} V; status: {flags}). A failed temperature sensor often locks the stock BMS: test both probes, then reset the BMS with its button and read its LED before replacing it.</source>
        <translation>尽管电芯正常（{lo:.3f}–{hi:.3f} V；状态：{flags}），BMS 仍拒绝充电。温度传感器损坏常会锁住原厂 BMS：测试两个探头，然后用 BMS 上的按钮复位并查看其指示灯，再决定是否更换。</translation>
    </message>
    <message>
        <source>Scooter pack health</source>
        <translation>滑板车电池包健康</translation>
    </message>
    <message>
        <source>After the Xiaomi battery guide (&quot;Xiaomi Battery Maintenance &amp; Recovery&quot;): balance externally before blaming the BMS, recover deep-discharged packs gently, suspect the temperature sensors when a pack with good cells will not charge.</source>
        <translation>依据小米电池指南（“Xiaomi Battery Maintenance &amp; Recovery”）：先在外部均衡，再去怀疑 BMS；温和地恢复深度放电的电池包；电芯良好却不能充电时，先怀疑温度传感器。</translation>
    </message>
</context>
<context>
    <name>PacksDialog</name>
    <message>
        <source>Packs</source>
        <translation>电池组登记</translation>
    </message>
    <message>
        <source>Search: serial number, model, name, job, operator or date</source>
        <translation>搜索：序列号、型号、名称、工单、操作员或日期</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最近一次</translation>
    </message>
    <message>
        <source>Commissioned</source>
        <translation>已验收</translation>
    </message>
    <message>
        <source>Open its last report (PDF)</source>
        <translation>打开最近的报告 (PDF)</translation>
    </message>
    <message>
        <source>Export its record (JSON)…</source>
        <translation>导出其记录 (JSON)…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Compare its settings of</source>
        <translation>比较其参数：</translation>
    </message>
    <message>
        <source>with</source>
        <translation>与</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>First</source>
        <translation>第一份</translation>
    </message>
    <message>
        <source>Second</source>
        <translation>第二份</translation>
    </message>
    <message>
        <source>The pack registry is switched off (PACKBENCH_REGISTRY=off).</source>
        <translation>电池组登记库已关闭 (PACKBENCH_REGISTRY=off)。</translation>
    </message>
    <message>
        <source>The pack registry cannot be used: {reason}</source>
        <translation>无法使用电池组登记库：{reason}</translation>
    </message>
    <message>
        <source>The pack registry cannot be read: {reason}</source>
        <translation>无法读取电池组登记库：{reason}</translation>
    </message>
    <message>
        <source>{date} ({verdict})</source>
        <translation>{date}（{verdict}）</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未</translation>
    </message>
    <message>
        <source>No pack matches.</source>
        <translation>没有匹配的电池组。</translation>
    </message>
    <message>
        <source>No packs recorded yet.</source>
        <translation>尚未记录任何电池组。</translation>
    </message>
    <message>
        <source>Choose a pack above</source>
        <translation>请在上方选择一个电池组</translation>
    </message>
    <message>
        <source>settings read</source>
        <translation>读取参数</translation>
    </message>
    <message>
        <source>settings written</source>
        <translation>写入参数</translation>
    </message>
    <message>
        <source>switch</source>
        <translation>开关</translation>
    </message>
    <message>
        <source>calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>control</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>sealing checks</source>
        <translation>封装前检查</translation>
    </message>
    <message>
        <source>commissioning</source>
        <translation>验收</translation>
    </message>
    <message>
        <source>report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>batch job</source>
        <translation>批量作业</translation>
    </message>
    <message>
        <source>Fewer than two settings snapshots: nothing to compare.</source>
        <translation>参数快照少于两份：无可比较内容。</translation>
    </message>
    <message>
        <source>The two snapshots hold the same values.</source>
        <translation>两份快照的数值相同。</translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) differ.</source>
        <translation>
            <numerusform>%n 项参数不同。</numerusform>
        </translation>
    </message>
    <message>
        <source>This pack has never been commissioned.</source>
        <translation>此电池组从未验收。</translation>
    </message>
    <message>
        <source>The report was not written: {reason}</source>
        <translation>报告未写入：{reason}</translation>
    </message>
    <message>
        <source>Report: {path}</source>
        <translation>报告：{path}</translation>
    </message>
    <message>
        <source>Export the pack&apos;s record</source>
        <translation>导出电池组记录</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Not exported: {reason}</source>
        <translation>未导出：{reason}</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>ParametersPage</name>
    <message>
        <source>Refresh from board</source>
        <translation>从保护板刷新</translation>
    </message>
    <message>
        <source>Change values in the New value column, or apply a preset. Nothing is written until you choose “Review and write…” and confirm.</source>
        <extracomment>the form changed (number of rows that differ from the board) the applied preset&apos;s values this board has no setting for (the review names them)</extracomment>
        <translation>在“新值”列中修改数值，或应用预设。只有在选择“检查并写入…”并确认后才会写入。</translation>
    </message>
    <message>
        <source>Revert all</source>
        <translation>全部还原</translation>
    </message>
    <message>
        <source>Put every new value back to the board&apos;s value.</source>
        <translation>将所有新值恢复为保护板上的数值。</translation>
    </message>
    <message>
        <source>Review and write…</source>
        <translation>检查并写入…</translation>
    </message>
    <message>
        <source>Read from the board at {time}</source>
        <translation>于 {time} 从保护板读取</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) in the form</source>
        <translation>
            <numerusform>表单中有 %n 项更改</numerusform>
        </translation>
    </message>
    <message>
        <source>No changes in the form</source>
        <translation>表单中没有更改</translation>
    </message>
    <message>
        <source>your edits</source>
        <translation>您的编辑</translation>
    </message>
    <message>
        <source>New values from: {source}</source>
        <translation>新值来源：{source}</translation>
    </message>
    <message>
        <source>Not on this board, left out: {keys}.</source>
        <translation>此保护板不支持，已略过：{keys}。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) differ from the board and are highlighted. Nothing has been written.</source>
        <translation>
            <numerusform>%n 行与保护板不同，已高亮显示。尚未写入任何内容。</numerusform>
        </translation>
    </message>
    <message>
        <source>The board already has all these values.</source>
        <translation>保护板已经是这些数值。</translation>
    </message>
    <message>
        <source>Cannot use this preset: {reason}</source>
        <translation>无法使用此预设：{reason}</translation>
    </message>
    <message>
        <source>This board takes none of the preset&apos;s settings from Packbench (see the note above the table): nothing was changed in the form.</source>
        <translation>此保护板不接受 Packbench 写入该预设中的任何设置（见表格上方的说明）：表单未做任何更改。</translation>
    </message>
    <message>
        <source>{name} preset (Packbench)</source>
        <translation>{name} 预设（Packbench）</translation>
    </message>
    <message>
        <source>my preset “{name}”</source>
        <translation>我的预设“{name}”</translation>
    </message>
    <message>
        <source>JBD Tools parameter files (*.fig)</source>
        <translation>JBD Tools 参数文件 (*.fig)</translation>
    </message>
    <message>
        <source>Reading the board&apos;s settings …</source>
        <translation>正在读取保护板参数 …</translation>
    </message>
    <message>
        <source>Cannot prepare the write: {reason}</source>
        <translation>无法准备写入：{reason}</translation>
    </message>
    <message>
        <source>Daly A5 boards: Daly documents no command that writes these settings, so Packbench shows them read-only and does not guess one. Charging and discharging are switched on the Control tab; the presets need a board on the Modbus (D2) protocol.</source>
        <translation>Daly A5 保护板：Daly 没有公开写入这些设置的命令，因此 Packbench 以只读方式显示它们，也不会猜测命令。充电和放电开关在“控制”标签页中操作；预设需要使用 Modbus（D2）协议的保护板。</translation>
    </message>
    <message>
        <source>Daly boards differ in how their settings block is laid out: Packbench writes only what this board&apos;s block carried with a sensible value. Writable here: {exposed} of {total} settings.</source>
        <translation>不同型号的 Daly 保护板设置区布局不同：Packbench 只写入此保护板设置区中带有合理数值的项。此处可写：{total} 项中的 {exposed} 项。</translation>
    </message>
    <message>
        <source>Daly boards differ in how their settings block is laid out: Packbench writes only what this board&apos;s block carried with a sensible value. Writable here: {exposed} of {total} settings; shown read-only: {hidden}.</source>
        <translation>不同型号的 Daly 保护板设置区布局不同：Packbench 只写入此保护板设置区中带有合理数值的项。此处可写：{total} 项中的 {exposed} 项；以只读方式显示：{hidden}。</translation>
    </message>
    <message>
        <source>Daly P81 boards: no capture shows how their settings are laid out, so Packbench shows the balancer switch only, read-only.</source>
        <translation>Daly P81 保护板：没有抓包数据显示其设置的布局，因此 Packbench 只以只读方式显示均衡开关。</translation>
    </message>
</context>
<context>
    <name>PasswordBox</name>
    <message>
        <source>The password could not be stored in the system keychain: {reason}</source>
        <translation>无法将密码保存到系统钥匙串：{reason}</translation>
    </message>
    <message>
        <source>Setup password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>factory default 123456</source>
        <translation>出厂默认 123456</translation>
    </message>
    <message>
        <source>Show</source>
        <extracomment>the compact look draws no frame: the row sits inside its panel&apos;s own frame</extracomment>
        <translation>显示</translation>
    </message>
    <message>
        <source>Remember for this device</source>
        <translation>为此设备记住</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>This board still has the factory setup password 123456: anyone within Bluetooth range can change its protection settings. Change it in the vendor app.</source>
        <translation>此保护板仍在使用出厂设置密码 123456：蓝牙范围内的任何人都能更改其保护参数。请在厂商 App 中修改。</translation>
    </message>
    <message>
        <source>The board has not reported its setup password, so Packbench cannot check it. Disconnect, reconnect and try again.</source>
        <translation>保护板未报告其设置密码，因此 Packbench 无法核对。请断开连接，重新连接后再试。</translation>
    </message>
    <message>
        <source>Board password</source>
        <translation>保护板密码</translation>
    </message>
    <message>
        <source>This board&apos;s protocol has no password, so Packbench asks for none.</source>
        <translation>此保护板的协议没有密码，因此 Packbench 不会要求输入密码。</translation>
    </message>
    <message>
        <source>6 digits, or empty</source>
        <translation>6 位数字，或留空</translation>
    </message>
    <message>
        <source>often empty</source>
        <translation>通常为空</translation>
    </message>
    <message>
        <source>Six digits; leave it empty if the board has no password.</source>
        <translation>六位数字；如果保护板没有密码，请留空。</translation>
    </message>
    <message>
        <source>Leave it empty if the board asks for no password.</source>
        <translation>如果保护板不要求密码，请留空。</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in a file.</source>
        <translation>保存在系统钥匙串中，绝不会保存在文件中。</translation>
    </message>
    <message>
        <source>Remembered in the system keychain for this board.</source>
        <translation>已为此保护板保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>Kept in memory until you disconnect. Tick “Remember” to keep it in the system keychain (never in a settings file).</source>
        <translation>密码保存在内存中，直到断开连接。勾选“记住”可将其保存在系统钥匙串中（绝不会保存在设置文件中）。</translation>
    </message>
    <message>
        <source>no system keychain on this computer</source>
        <translation>此计算机上没有系统钥匙串</translation>
    </message>
    <message>
        <source>No system keychain on this computer: the password is kept in memory only, until you disconnect.</source>
        <translation>此计算机上没有系统钥匙串：密码仅保存在内存中，直到断开连接。</translation>
    </message>
    <message>
        <source>The board has not reported its setup password. Nothing was written. Reconnect and try again.</source>
        <translation>保护板未报告其设置密码。未写入任何内容。请重新连接后再试。</translation>
    </message>
    <message>
        <source>Enter the board&apos;s setup password (factory default 123456). Nothing was written.</source>
        <translation>请输入保护板的设置密码（出厂默认 123456）。未写入任何内容。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: wait {s} s before the next try. Nothing was written.</source>
        <translation>密码错误次数过多：请等待 {s} s 后再试。未写入任何内容。</translation>
    </message>
    <message>
        <source>Wrong setup password: nothing was written.</source>
        <translation>设置密码错误：未写入任何内容。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: wait {s} s before the next try.</source>
        <translation>密码错误次数过多：请等待 {s} s 后再试。</translation>
    </message>
    <message>
        <source>Nothing was written: {reason}</source>
        <translation>未写入任何内容：{reason}</translation>
    </message>
</context>
<context>
    <name>PresetPanel</name>
    <message>
        <source>Preset and pack</source>
        <extracomment>combo entries: (&quot;builtin&quot;, chemistry) | (&quot;file&quot;, path) | (&quot;open&quot;, &quot;&quot;) the pack profile&apos;s rows and the board settings each one fills (cells: always shown, pack voltages scale with them; capacity: also sets the balance current and trigger) the settings of the connected board (None: not known yet, every row shown)</extracomment>
        <translation>预设与电池组</translation>
    </message>
    <message>
        <source>Chemistry</source>
        <translation>电池类型</translation>
    </message>
    <message>
        <source>Packbench&apos;s own values, not the vendor&apos;s table: no charging below 0 °C, shutdown below the under-voltage cut-off, LTO included. Hover for details.</source>
        <translation>Packbench 自己的数值，而非厂商表格：不在 0 °C 以下充电，自动关机电压低于欠压保护值，并包含 LTO。将鼠标悬停可查看详情。</translation>
    </message>
    <message>
        <source>Where Packbench&apos;s presets differ from the vendor manual&apos;s table:
• The manual prints the LiFePO4 and Li-ion voltage columns swapped; read the right way round, the over-voltage values agree.
• Charging: the table allows −20 °C; charging LiFePO4 or Li-ion below 0 °C plates lithium, so Packbench stops charging at 0 °C (recovers at 5 °C).
• Auto shutdown: the table sets it equal to the under-voltage protection although the manual says it must be lower; Packbench puts it 0.1 V below.
• Over-temperature: 55 °C charge and 65 °C discharge instead of 70 °C.
• The manual promises an LTO column but has none; Packbench has one.
• Pack values (cell count, capacity, currents) come from the pack profile below, not from the preset.</source>
        <translation>Packbench 预设与厂商说明书表格的不同之处：
• 说明书中 LiFePO4 和 Li-ion 的电压列印反了；按正确的对应关系阅读，过压数值是一致的。
• 充电：表格允许 −20 °C；在 0 °C 以下给 LiFePO4 或 Li-ion 充电会导致析锂，因此 Packbench 在 0 °C 停止充电（5 °C 恢复）。
• 自动关机：表格将其设为与欠压保护相同，尽管说明书要求必须更低；Packbench 将其设为低 0.1 V。
• 过温：充电 55 °C、放电 65 °C，而非 70 °C。
• 说明书声称有 LTO 列，但实际没有；Packbench 提供了 LTO。
• 电池组数值（电芯串数、容量、电流）来自下方的电池组配置，而非预设。</translation>
    </message>
    <message>
        <source>Pack voltages scale with the cell count.</source>
        <translation>总电压随电芯串数按比例调整。</translation>
    </message>
    <message>
        <source>Cells in series</source>
        <translation>串联电芯数</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Max charge current</source>
        <translation>最大充电电流</translation>
    </message>
    <message>
        <source>Max discharge current</source>
        <translation>最大放电电流</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Automatic: 0.1 C of the capacity, at most 2 A (the manual&apos;s rule is at most 0.1 C).</source>
        <translation>自动：容量的 0.1 C，最大 2 A（说明书的规则是最大 0.1 C）。</translation>
    </message>
    <message>
        <source>Max balance current</source>
        <translation>最大均衡电流</translation>
    </message>
    <message>
        <source>Apply to the form</source>
        <translation>应用到表单</translation>
    </message>
    <message>
        <source>Fills the New value column. Nothing is written until you review and confirm.</source>
        <translation>填入“新值”列。只有在检查并确认后才会写入。</translation>
    </message>
    <message>
        <source>enter the pack&apos;s capacity</source>
        <translation>请输入电池组容量</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Load a settings export, a backup or a preset into the form; the differences are highlighted.</source>
        <translation>将参数导出文件、备份或预设加载到表单中；差异会高亮显示。</translation>
    </message>
    <message>
        <source>Compare with file…</source>
        <translation>与文件比较…</translation>
    </message>
    <message>
        <source>Show how the board differs from a backup, an export or a preset. Nothing is written.</source>
        <translation>显示保护板与备份、导出文件或预设之间的差异。不会写入任何内容。</translation>
    </message>
    <message>
        <source>Export settings…</source>
        <translation>导出参数…</translation>
    </message>
    <message>
        <source>Save the board&apos;s settings, with its identity, firmware, protocol and units, as a readable JSON file.</source>
        <translation>将保护板的参数连同其标识、固件、协议和单位保存为可读的 JSON 文件。</translation>
    </message>
    <message>
        <source>Save as my preset…</source>
        <translation>另存为我的预设…</translation>
    </message>
    <message>
        <source>Save the form&apos;s cell-level chemistry values as your own preset (JSON). The pack profile is entered beside it each time, so one preset fits every pack size and board family.</source>
        <translation>将表单中单体级的电池类型数值保存为您自己的预设（JSON）。电池组配置每次在旁边单独输入，因此一个预设适用于各种电池组规格和保护板系列。</translation>
    </message>
    <message>
        <source>Board preset (the board&apos;s own values)</source>
        <translation>保护板预设（保护板自带数值）</translation>
    </message>
    <message>
        <source>Built into the board; Packbench reads its values back and shows them after.</source>
        <translation>内置于保护板中；Packbench 会在执行后读回并显示其数值。</translation>
    </message>
    <message>
        <source>{name} (Packbench)</source>
        <translation>{name}（Packbench）</translation>
    </message>
    <message>
        <source>Open a preset file…</source>
        <translation>打开预设文件…</translation>
    </message>
    <message>
        <source>{name} (my preset)</source>
        <translation>{name}（我的预设）</translation>
    </message>
    <message>
        <source>{cells} cells</source>
        <translation>{cells} 串</translation>
    </message>
    <message>
        <source>{capacity} Ah</source>
        <translation>{capacity} Ah</translation>
    </message>
    <message>
        <source>charge {charge} A</source>
        <translation>充电 {charge} A</translation>
    </message>
    <message>
        <source>discharge {discharge} A</source>
        <translation>放电 {discharge} A</translation>
    </message>
    <message numerus="yes">
        <source>the board measures %n cell(s)</source>
        <translation>
            <numerusform>保护板检测到 %n 节电芯</numerusform>
        </translation>
    </message>
    <message>
        <source>Board&apos;s {name} preset…</source>
        <translation>保护板 {name} 预设…</translation>
    </message>
</context>
<context>
    <name>PresetsSection</name>
    <message>
        <source>The board&apos;s own presets</source>
        <translation>保护板自带预设</translation>
    </message>
    <message>
        <source>One click on the board overwrites its protection settings with the vendor&apos;s values for that chemistry. A backup is saved first and the values it produced are shown.</source>
        <extracomment>action -&gt; button; changed in place, so the page&apos;s name for it stays valid</extracomment>
        <translation>一键让保护板用厂商针对该电池类型的数值覆盖其保护参数。操作前会先保存备份，并显示执行后的数值。</translation>
    </message>
    <message>
        <source>{family} has no one-click preset command that Packbench knows. Use a Packbench preset on the Parameters tab instead.</source>
        <translation>{family} 没有 Packbench 已知的一键预设命令。请改用“参数”选项卡中的 Packbench 预设。</translation>
    </message>
    <message>
        <source>{name} (board preset)…</source>
        <translation>{name}（保护板预设）…</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Keep the board connected. “Cancel after this key” lets the key being written finish and be checked, then stops; nothing after it is written.</source>
        <extracomment>the narrowest the dialog gets: the diff&apos;s columns side by side</extracomment>
        <translation>请保持保护板连接。“写完此项后取消”会让正在写入的参数完成写入和核对，然后停止；之后的参数都不会写入。</translation>
    </message>
    <message>
        <source>Cancel after this key</source>
        <translation>写完此项后取消</translation>
    </message>
    <message>
        <source>Stopping after this key …</source>
        <translation>将在此项完成后停止 …</translation>
    </message>
</context>
<context>
    <name>ReadOnly</name>
    <message>
        <source>Xiaomi and Ninebot scooter packs are read-only in Packbench: no public source documents a safe write to their BMS, its status register has a write lock, and changing the serial number, capacities or counters can leave the pack &quot;not activated&quot; for the scooter. Packbench reads and diagnoses these packs and never writes to them.</source>
        <extracomment>what the Parameters and Control tabs say for this family, and what every write is refused with (ant_xiaomi.md §3.5: no public source documents a safe write to a stock BMS; status bit 4 is a write lock; editing the image can leave the pack &quot;not activated&quot;)</extracomment>
        <translation>小米和九号滑板车电池包在 Packbench 中是只读的：没有任何公开资料说明如何安全地写入它们的 BMS，其状态寄存器带有写保护锁，而修改序列号、容量或计数器可能让滑板车认为电池包“未激活”。Packbench 只读取并诊断这些电池包，从不向它们写入。</translation>
    </message>
</context>
<context>
    <name>RecordBar</name>
    <message>
        <source>● Record</source>
        <extracomment>the person asked to open a finished recording in the viewer</extracomment>
        <translation>● 记录</translation>
    </message>
    <message>
        <source>Record every snapshot to a CSV file that opens in a spreadsheet and in File → Open log</source>
        <translation>将每次快照记录到 CSV 文件，可在电子表格中打开，也可通过“文件 → 打开日志”打开</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <source>Recording options</source>
        <translation>记录选项</translation>
    </message>
    <message>
        <source>Also capture raw frames (for bug reports)</source>
        <translation>同时捕获原始数据帧（用于错误报告）</translation>
    </message>
    <message>
        <source>Choose the folder for logs…</source>
        <translation>选择日志文件夹…</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>● REC {time} · {rows} rows · {name}</source>
        <translation>● REC {time} · {rows} 行 · {name}</translation>
    </message>
    <message>
        <source>Cannot record to {path}: {reason}</source>
        <translation>无法记录到 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved {name} ({rows} rows) — &lt;a href=&quot;open&quot;&gt;open it&lt;/a&gt;</source>
        <translation>已保存 {name}（{rows} 行）— &lt;a href=&quot;open&quot;&gt;打开&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Nothing was recorded (no live data came)</source>
        <translation>未记录任何内容（没有收到实时数据）</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>未在记录</translation>
    </message>
    <message>
        <source>Folder for logs</source>
        <translation>日志文件夹</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>请求值</translation>
    </message>
    <message>
        <source>Read back</source>
        <translation>读回值</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Restore previous settings from backup</source>
        <translation>从备份恢复之前的参数</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The board already had the settings of the backup: nothing needed writing.</source>
        <translation>保护板原本就是备份中的参数：无需写入。</translation>
    </message>
    <message>
        <source>Restored: the board has its previous settings again</source>
        <translation>已恢复：保护板已恢复为之前的参数</translation>
    </message>
    <message>
        <source>The restore did not complete</source>
        <translation>恢复未完成</translation>
    </message>
    <message>
        <source>Written and verified</source>
        <translation>已写入并验证</translation>
    </message>
    <message>
        <source>The write stopped — read what the board has now</source>
        <translation>写入已中止 — 请查看保护板当前的数值</translation>
    </message>
    <message>
        <source>Backup of the settings before this write: {path}</source>
        <translation>此次写入前的参数备份：{path}</translation>
    </message>
    <message>
        <source>No backup was needed: nothing was written.</source>
        <translation>无需备份：未写入任何内容。</translation>
    </message>
    <message>
        <source>Try the restore again</source>
        <translation>重试恢复</translation>
    </message>
    <message>
        <source>Undo: restore previous settings from backup</source>
        <translation>撤销：从备份恢复之前的参数</translation>
    </message>
</context>
<context>
    <name>ResultStep</name>
    <message>
        <source>Board before</source>
        <translation>保护板（之前）</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>仪表</translation>
    </message>
    <message>
        <source>Board after</source>
        <translation>保护板（之后）</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>重新测量</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>#</source>
        <extracomment>a warning&apos;s tick or the password changed: the dialog checks Write again</extracomment>
        <translation>#</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>On the board</source>
        <translation>保护板上</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Read the board again</source>
        <translation>重新读取保护板</translation>
    </message>
    <message>
        <source>Read the board&apos;s settings again and show a fresh diff.</source>
        <translation>重新读取保护板的参数并显示新的差异。</translation>
    </message>
    <message>
        <source>Cancel — write nothing</source>
        <translation>取消 — 不写入任何内容</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) to write, board → new, in write order</source>
        <translation>
            <numerusform>%n 项待写入的更改（保护板 → 新值），按写入顺序排列</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to write</source>
        <translation>没有需要写入的内容</translation>
    </message>
    <message>
        <source>Requested by: {source}</source>
        <translation>请求来源：{source}</translation>
    </message>
    <message numerus="yes">
        <source>%n requested setting(s) already have the requested value and are left alone.</source>
        <translation>
            <numerusform>%n 项请求的参数已经是所请求的数值，将保持不变。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Write %n change(s) to the board</source>
        <translation>
            <numerusform>向保护板写入 %n 项更改</numerusform>
        </translation>
    </message>
    <message>
        <source>Blocked by the safety rules: nothing can be written until the form is changed.</source>
        <translation>被安全规则阻止：在修改表单之前无法写入任何内容。</translation>
    </message>
    <message>
        <source>I accept this</source>
        <translation>我接受</translation>
    </message>
    <message>
        <source>Writing needs your explicit acknowledgement of every warning.</source>
        <translation>写入前需要您明确确认每一条警告。</translation>
    </message>
    <message>
        <source>Warning — {text}</source>
        <translation>警告 — {text}</translation>
    </message>
    <message>
        <source>The cell count changes from {old} to {new}: it must match the cells wired to the board.</source>
        <translation>电芯串数将从 {old} 改为 {new}：必须与接入保护板的电芯数一致。</translation>
    </message>
</context>
<context>
    <name>SealingSection</name>
    <message>
        <source>Before sealing the pack</source>
        <translation>封装电池组前检查</translation>
    </message>
    <message>
        <source>Live: updates with every reading from the board</source>
        <translation>实时：随保护板的每次读数更新</translation>
    </message>
    <message>
        <source>Waiting for live data</source>
        <extracomment>the cell spread judged at rest, fed with every live snapshot (services/sealing.py)</extracomment>
        <translation>正在等待实时数据</translation>
    </message>
    <message numerus="yes">
        <source>Not ready to seal: %n check(s) failed</source>
        <translation>
            <numerusform>尚不能封装：%n 项检查未通过</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cannot tell: %n check(s) unknown</source>
        <translation>
            <numerusform>无法判断：%n 项检查结果未知</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cannot confirm: %n check(s) not reported by this board</source>
        <translation>
            <numerusform>无法确认：%n 项检查所需的数据此保护板不报告</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready to seal: all four checks pass</source>
        <translation>可以封装：四项检查全部通过</translation>
    </message>
    <message>
        <source>no live data yet</source>
        <translation>尚无实时数据</translation>
    </message>
    <message>
        <source>waiting for the board&apos;s settings</source>
        <translation>正在等待保护板的设置</translation>
    </message>
    <message>
        <source>charge MOSFET</source>
        <translation>充电MOS</translation>
    </message>
    <message>
        <source>discharge MOSFET</source>
        <translation>放电MOS</translation>
    </message>
    <message>
        <source>OFF: {which}</source>
        <translation>关闭：{which}</translation>
    </message>
    <message>
        <source>both ON</source>
        <translation>均已开启</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>configured {configured}, measured {measured}</source>
        <translation>设置 {configured}，实测 {measured}</translation>
    </message>
    <message>
        <source>reading 0 V: cell {cells}</source>
        <translation>读数为 0 V：电芯 {cells}</translation>
    </message>
    <message>
        <source>{delta} at rest, balance trigger {trigger}</source>
        <translation>静置时 {delta}，均衡触发 {trigger}</translation>
    </message>
    <message>
        <source>cannot tell: the board does not report its current, so rest cannot be told</source>
        <translation>无法判断：保护板不报告电流，因此无法判断是否静置</translation>
    </message>
    <message>
        <source>needs rest: {current} flows; the spread is judged with the pack at rest</source>
        <translation>需要静置：当前电流 {current}；压差在电池组静置时判定</translation>
    </message>
    <message>
        <source>needs rest: resting {done} of {need}</source>
        <translation>需要静置：已静置 {done} / {need}</translation>
    </message>
</context>
<context>
    <name>Section</name>
    <message>
        <source>Sending and reading back …</source>
        <extracomment>sections placed inside this one (the page passes its news on to them too)</extracomment>
        <translation>正在发送并读回 …</translation>
    </message>
    <message>
        <source>Nothing was sent: {reason}</source>
        <translation>未发送任何内容：{reason}</translation>
    </message>
    <message>
        <source>The link failed: {reason}. The board may or may not have done it: check its state before trying again.</source>
        <translation>连接失败：{reason}。保护板可能已执行，也可能没有：请先检查其状态再重试。</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无应答</translation>
    </message>
</context>
<context>
    <name>SerialHint</name>
    <message>
        <source>Packbench cannot open {ports}: this user may not use USB serial adapters.</source>
        <translation>Packbench 无法打开 {ports}：当前用户无权使用 USB 串口适配器。</translation>
    </message>
    <message>
        <source>This user may not use USB serial adapters (not in the group dialout).</source>
        <translation>当前用户无权使用 USB 串口适配器（不在 dialout 组中）。</translation>
    </message>
    <message>
        <source>To connect over a USB cable, run {command} once, then log out and in again. Bluetooth and network bridges work without it.</source>
        <translation>要通过 USB 线连接，请运行一次 {command}，然后注销并重新登录。蓝牙和网络桥接无需此操作。</translation>
    </message>
    <message>
        <source>USB serial adapters</source>
        <translation>USB 串口适配器</translation>
    </message>
</context>
<context>
    <name>SettingFormat</name>
    <message>
        <source>not reported</source>
        <extracomment>keys never shown, whatever a decoder puts into the settings</extracomment>
        <translation>未报告</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>{lo} – {hi} {unit}</source>
        <translation>{lo} – {hi} {unit}</translation>
    </message>
    <message>
        <source>{rule}: {text}</source>
        <translation>{rule}：{text}</translation>
    </message>
</context>
<context>
    <name>SettingsFileActions</name>
    <message>
        <source>Open a preset</source>
        <translation>打开预设</translation>
    </message>
    <message>
        <source>Packbench presets (*.json)</source>
        <translation>Packbench 预设 (*.json)</translation>
    </message>
    <message>
        <source>Cannot open {path}: {reason}</source>
        <translation>无法打开 {path}：{reason}</translation>
    </message>
    <message>
        <source>Preset loaded. Check the pack profile, then “Apply to the form”.</source>
        <translation>预设已加载。请检查电池组配置，然后点击“应用到表单”。</translation>
    </message>
    <message>
        <source>Save the form as my preset</source>
        <translation>将表单保存为我的预设</translation>
    </message>
    <message>
        <source>Cannot save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved my preset “{name}” ({n} cell-level values) to {path}.</source>
        <translation>已将我的预设“{name}”（{n} 项单体级数值）保存到 {path}。</translation>
    </message>
    <message>
        <source>Export the board&apos;s settings</source>
        <translation>导出保护板参数</translation>
    </message>
    <message>
        <source>Packbench settings (*.json)</source>
        <translation>Packbench 参数文件 (*.json)</translation>
    </message>
    <message>
        <source>Not exported: {reason}</source>
        <translation>未导出：{reason}</translation>
    </message>
    <message>
        <source>Exported {n} settings to {path}.</source>
        <translation>已将 {n} 项参数导出到 {path}。</translation>
    </message>
    <message>
        <source>Compare the board with a file</source>
        <translation>将保护板与文件比较</translation>
    </message>
    <message>
        <source>Import a settings or preset file</source>
        <translation>导入参数文件或预设文件</translation>
    </message>
    <message>
        <source>Packbench settings and presets (*.json)</source>
        <translation>Packbench 设置和预设 (*.json)</translation>
    </message>
    <message>
        <source>connect a board first</source>
        <translation>请先连接保护板</translation>
    </message>
    <message>
        <source>preset file {name} with {profile}</source>
        <translation>预设文件 {name}，电池组配置 {profile}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <source>comparison with {what}. Highlighted rows differ from the board; nothing is written unless you choose “Review and write…”.</source>
        <translation>与 {what} 的比较。高亮显示的行与保护板不同；除非选择“检查并写入…”，否则不会写入任何内容。</translation>
    </message>
    <message>
        <source>{what}.</source>
        <translation>{what}。</translation>
    </message>
    <message>
        <source>backup {name}</source>
        <translation>备份 {name}</translation>
    </message>
    <message>
        <source>settings file {name}</source>
        <translation>参数文件 {name}</translation>
    </message>
    <message>
        <source>firmware {version}</source>
        <translation>固件 {version}</translation>
    </message>
    <message>
        <source>from another board (this one is {serial})</source>
        <translation>来自另一块保护板（当前保护板为 {serial}）</translation>
    </message>
    <message>
        <source>written by {protocol}</source>
        <translation>由 {protocol} 写入</translation>
    </message>
</context>
<context>
    <name>SettingsTable</name>
    <message>
        <source>Connect to a board to see its settings.</source>
        <extracomment>where a long value without spaces may wrap: after these characters</extracomment>
        <translation>连接保护板后即可查看其参数。</translation>
    </message>
    <message>
        <source>Select a setting to see what it does.</source>
        <translation>选择一项参数以查看其作用。</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>On the board</source>
        <translation>保护板上</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Allowed range</source>
        <translation>允许范围</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Cell voltages</source>
        <translation>单体电压</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>电池组</translation>
    </message>
    <message>
        <source>Currents</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>Temperatures</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Balancing</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Switches</source>
        <translation>开关</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Allowed: {range}, in steps of {step}.</source>
        <translation>允许范围：{range}，步长 {step}。</translation>
    </message>
    <message>
        <source>Allowed: {range}.</source>
        <translation>允许范围：{range}。</translation>
    </message>
    <message>
        <source>Key: {key}</source>
        <translation>键名：{key}</translation>
    </message>
    <message>
        <source>No help text for this setting yet.</source>
        <translation>此参数暂无帮助说明。</translation>
    </message>
    <message>
        <source>Packbench cannot write this setting on this board.</source>
        <translation>Packbench 无法在此保护板上写入此参数。</translation>
    </message>
    <message numerus="yes">
        <source>{group} — %n changed</source>
        <translation>
            <numerusform>{group} — %n 项已更改</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StateOfChargeSection</name>
    <message>
        <source>State of charge</source>
        <translation>荷电状态</translation>
    </message>
    <message>
        <source>Set…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Board clock</source>
        <translation>保护板时钟</translation>
    </message>
    <message>
        <source>Set from this computer&apos;s clock…</source>
        <translation>按这台电脑的时钟设置…</translation>
    </message>
    <message>
        <source>Set the state of charge to {pct} %?</source>
        <translation>将荷电状态设置为 {pct} %？</translation>
    </message>
    <message>
        <source>Set {pct} %</source>
        <translation>设置为 {pct} %</translation>
    </message>
    <message>
        <source>Packbench sends it and reads the state of charge back from the live data.</source>
        <translation>Packbench 发送该值，并从实时数据中读回荷电状态。</translation>
    </message>
    <message>
        <source>Set the board&apos;s clock to this computer&apos;s?</source>
        <translation>按这台电脑的时钟设置保护板时钟？</translation>
    </message>
    <message>
        <source>Set the clock</source>
        <translation>设置时钟</translation>
    </message>
    <message>
        <source>Verified: the board now reports {pct} %.</source>
        <translation>已核实：保护板现在报告 {pct} %。</translation>
    </message>
    <message>
        <source>The board acknowledged but reports {after} %, not {pct} %.</source>
        <translation>保护板已确认，但报告的是 {after} %，而不是 {pct} %。</translation>
    </message>
    <message>
        <source>The board acknowledged the time {time}. Packbench cannot read its clock back.</source>
        <translation>保护板已确认时间 {time}。Packbench 无法读回其时钟。</translation>
    </message>
    <message>
        <source>The board did not acknowledge: nothing changed.</source>
        <translation>保护板没有确认：未做任何更改。</translation>
    </message>
</context>
<context>
    <name>SwitchesSection</name>
    <message>
        <source>Switches</source>
        <extracomment>the live output that follows each switch outputs whose OFF is the normal state: OFF grey, ON amber the rows shown before a board says what it has</extracomment>
        <translation>开关</translation>
    </message>
    <message>
        <source>Setting on the board</source>
        <translation>保护板上的设置</translation>
    </message>
    <message>
        <source>Output now</source>
        <translation>当前输出</translation>
    </message>
    <message>
        <source>“Output now” is what the board is doing this moment. An output that is OFF while its setting is ON usually means a protection tripped: see the alarms above.</source>
        <translation>“当前输出”是保护板此刻的实际状态。如果某个输出为关闭而其设置为开启，通常表示触发了保护：请查看上方的告警。</translation>
    </message>
    <message>
        <source>BALANCING</source>
        <translation>均衡中</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>未报告</translation>
    </message>
    <message>
        <source>{family} has no charging or discharging switch that Packbench can set, so neither is shown.</source>
        <translation>{family} 没有 Packbench 可设置的充电或放电开关，因此均不显示。</translation>
    </message>
    <message>
        <source>{family} has no {name} switch that Packbench can set, so it is not shown.</source>
        <translation>{family} 没有 Packbench 可设置的{name}开关，因此不显示。</translation>
    </message>
    <message>
        <source>Switch on…</source>
        <translation>开启…</translation>
    </message>
    <message>
        <source>Switch off…</source>
        <translation>关闭…</translation>
    </message>
    <message>
        <source>IDLE</source>
        <translation>未均衡</translation>
    </message>
    <message>
        <source>Switch {name} ON?</source>
        <translation>开启{name}？</translation>
    </message>
    <message>
        <source>Switch {name} OFF?</source>
        <translation>关闭{name}？</translation>
    </message>
    <message>
        <source>Switch {name} on</source>
        <translation>开启{name}</translation>
    </message>
    <message>
        <source>Switch {name} off</source>
        <translation>关闭{name}</translation>
    </message>
    <message>
        <source>Packbench checks the password, saves a backup of the settings, writes the switch and reads it back.</source>
        <translation>Packbench 会核对密码、保存参数备份、写入开关设置并读回验证。</translation>
    </message>
    <message>
        <source>Writing and reading back …</source>
        <translation>正在写入并读回 …</translation>
    </message>
    <message>
        <source>{name}: the board&apos;s report is missing.</source>
        <translation>{name}：缺少保护板的报告。</translation>
    </message>
    <message>
        <source>Verified: {name} is now {state} (read back from the board).</source>
        <translation>已验证：{name}现为{state}状态（从保护板读回）。</translation>
    </message>
    <message>
        <source>{name} was already {state}: nothing was written.</source>
        <translation>{name}原本就是{state}状态：未写入任何内容。</translation>
    </message>
    <message>
        <source>Refused by the board: {name} is still {state}.</source>
        <translation>保护板拒绝：{name}仍为{state}状态。</translation>
    </message>
    <message>
        <source>{name} is now {state}, but the board sent no acknowledgement.</source>
        <translation>{name}现为{state}状态，但保护板未发送确认。</translation>
    </message>
    <message>
        <source>{name}: {status}.</source>
        <translation>{name}：{status}。</translation>
    </message>
    <message>
        <source>Backup of the settings before: {path}</source>
        <translation>操作前的参数备份：{path}</translation>
    </message>
</context>
<context>
    <name>ValueEditor</name>
    <message>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Back to the board&apos;s value</source>
        <translation>恢复为保护板上的数值</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <source>Pack voltage</source>
        <translation>总电压</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>电流</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>功率</translation>
    </message>
    <message>
        <source>State of charge</source>
        <translation>荷电状态（SOC）</translation>
    </message>
    <message>
        <source>State of health</source>
        <translation>健康状态（SOH）</translation>
    </message>
    <message>
        <source>Remaining capacity</source>
        <translation>剩余容量</translation>
    </message>
    <message>
        <source>Full-charge capacity</source>
        <translation>满充容量</translation>
    </message>
    <message>
        <source>Cycle capacity</source>
        <translation>循环容量</translation>
    </message>
    <message>
        <source>Cycles</source>
        <translation>循环次数</translation>
    </message>
    <message>
        <source>Cell delta</source>
        <translation>压差</translation>
    </message>
    <message>
        <source>Cell average</source>
        <translation>单体平均电压</translation>
    </message>
    <message>
        <source>Lowest cell</source>
        <translation>最低单体</translation>
    </message>
    <message>
        <source>Highest cell</source>
        <translation>最高单体</translation>
    </message>
    <message>
        <source>MOSFET temperature</source>
        <translation>MOS温度</translation>
    </message>
    <message>
        <source>Balance current</source>
        <translation>均衡电流</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <source>Charge MOSFET</source>
        <translation>充电MOS</translation>
    </message>
    <message>
        <source>Discharge MOSFET</source>
        <translation>放电MOS</translation>
    </message>
    <message>
        <source>Precharge MOSFET</source>
        <translation>预充MOS</translation>
    </message>
    <message>
        <source>Heater</source>
        <translation>加热</translation>
    </message>
    <message>
        <source>Balancing</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Hardware version</source>
        <translation>硬件版本</translation>
    </message>
    <message>
        <source>Software version</source>
        <translation>软件版本</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>设备名称</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>制造商</translation>
    </message>
    <message>
        <source>Manufacture date</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Power-on count</source>
        <translation>开机次数</translation>
    </message>
    <message>
        <source>Cell count</source>
        <translation>电芯串数</translation>
    </message>
    <message>
        <source>Battery capacity</source>
        <extracomment>(value, the register&apos;s current raw value) -&gt; new raw value (spec, field) in the order the vendor tool lists them</extracomment>
        <translation>电池容量</translation>
    </message>
    <message>
        <source>Cell over-voltage protection</source>
        <translation>单体过压保护</translation>
    </message>
    <message>
        <source>Cell over-voltage recovery</source>
        <translation>单体过压恢复</translation>
    </message>
    <message>
        <source>Cell under-voltage protection</source>
        <translation>单体欠压保护</translation>
    </message>
    <message>
        <source>Cell under-voltage recovery</source>
        <translation>单体欠压恢复</translation>
    </message>
    <message>
        <source>Pack over-voltage protection</source>
        <translation>总压过压保护</translation>
    </message>
    <message>
        <source>Pack over-voltage recovery</source>
        <translation>总压过压恢复</translation>
    </message>
    <message>
        <source>Pack under-voltage protection</source>
        <translation>总压欠压保护</translation>
    </message>
    <message>
        <source>Pack under-voltage recovery</source>
        <translation>总压欠压恢复</translation>
    </message>
    <message>
        <source>Auto shutdown voltage</source>
        <translation>自动关机电压</translation>
    </message>
    <message>
        <source>Cell voltage at 100 % SOC</source>
        <translation>100% SOC 单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 0 % SOC</source>
        <translation>0% SOC 单体电压</translation>
    </message>
    <message>
        <source>Max charge current</source>
        <translation>最大充电电流</translation>
    </message>
    <message>
        <source>Charge over-current delay</source>
        <translation>充电过流保护延时</translation>
    </message>
    <message>
        <source>Charge over-current release</source>
        <translation>充电过流保护解除</translation>
    </message>
    <message>
        <source>Max discharge current</source>
        <translation>最大放电电流</translation>
    </message>
    <message>
        <source>Discharge over-current delay</source>
        <translation>放电过流保护延时</translation>
    </message>
    <message>
        <source>Discharge over-current release</source>
        <translation>放电过流保护解除</translation>
    </message>
    <message>
        <source>Short-circuit delay</source>
        <translation>短路保护延时</translation>
    </message>
    <message>
        <source>Short-circuit release</source>
        <translation>短路保护解除</translation>
    </message>
    <message>
        <source>Balance trigger delta</source>
        <translation>均衡触发压差</translation>
    </message>
    <message>
        <source>Balance start voltage</source>
        <translation>均衡启动电压</translation>
    </message>
    <message>
        <source>Max balance current</source>
        <translation>最大均衡电流</translation>
    </message>
    <message>
        <source>Charge over-temperature</source>
        <translation>充电过温保护</translation>
    </message>
    <message>
        <source>Charge over-temperature recovery</source>
        <translation>充电过温恢复</translation>
    </message>
    <message>
        <source>Charge under-temperature</source>
        <translation>充电低温保护</translation>
    </message>
    <message>
        <source>Charge under-temperature recovery</source>
        <translation>充电低温恢复</translation>
    </message>
    <message>
        <source>Discharge over-temperature</source>
        <translation>放电过温保护</translation>
    </message>
    <message>
        <source>Discharge over-temperature recovery</source>
        <translation>放电过温恢复</translation>
    </message>
    <message>
        <source>Discharge under-temperature</source>
        <translation>放电低温保护</translation>
    </message>
    <message>
        <source>Discharge under-temperature recovery</source>
        <translation>放电低温恢复</translation>
    </message>
    <message>
        <source>MOSFET over-temperature</source>
        <translation>MOS过温保护</translation>
    </message>
    <message>
        <source>MOSFET over-temperature recovery</source>
        <translation>MOS过温恢复</translation>
    </message>
    <message>
        <source>Charging enabled</source>
        <translation>充电开关</translation>
    </message>
    <message>
        <source>Discharging enabled</source>
        <translation>放电开关</translation>
    </message>
    <message>
        <source>Balancing enabled</source>
        <translation>均衡开关</translation>
    </message>
    <message>
        <source>Heating enabled</source>
        <translation>加热开关</translation>
    </message>
    <message>
        <source>When the pack voltage rises above this the BMS switches charging off.</source>
        <translation>电池组电压高于此值时，BMS 关闭充电。</translation>
    </message>
    <message>
        <source>The pack voltage must fall below this before charging is switched back on after a pack over-voltage.</source>
        <translation>电池组过压后，电池组电压须降到此值以下，充电才会重新开启。</translation>
    </message>
    <message>
        <source>When the pack voltage falls below this the BMS switches discharging off.</source>
        <translation>电池组电压低于此值时，BMS 关闭放电。</translation>
    </message>
    <message>
        <source>The pack voltage must rise above this before discharging is switched back on after a pack under-voltage.</source>
        <translation>电池组欠压后，电池组电压须升到此值以上，放电才会重新开启。</translation>
    </message>
    <message>
        <source>Smart sleep voltage</source>
        <translation>智能休眠电压</translation>
    </message>
    <message>
        <source>Requested charge voltage (RCV)</source>
        <translation>请求充电电压（RCV）</translation>
    </message>
    <message>
        <source>Requested float voltage (RFV)</source>
        <translation>请求浮充电压（RFV）</translation>
    </message>
    <message>
        <source>Discharge precharge time</source>
        <translation>放电预充时间</translation>
    </message>
    <message>
        <source>Heating start temperature</source>
        <translation>加热启动温度</translation>
    </message>
    <message>
        <source>Heating stop temperature</source>
        <translation>加热停止温度</translation>
    </message>
    <message>
        <source>Smart sleep time</source>
        <translation>智能休眠时间</translation>
    </message>
    <message>
        <source>Voltage calibration reference</source>
        <translation>电压校准基准</translation>
    </message>
    <message>
        <source>UART1 protocol number</source>
        <translation>UART1 协议编号</translation>
    </message>
    <message>
        <source>UART2 protocol number</source>
        <translation>UART2 协议编号</translation>
    </message>
    <message>
        <source>UART3 protocol number</source>
        <translation>UART3 协议编号</translation>
    </message>
    <message>
        <source>CAN protocol number</source>
        <translation>CAN 协议编号</translation>
    </message>
    <message>
        <source>Display buzzer trigger</source>
        <translation>显示屏蜂鸣器触发条件</translation>
    </message>
    <message>
        <source>Dry contact 1 trigger</source>
        <translation>干接点 1 触发条件</translation>
    </message>
    <message>
        <source>Dry contact 2 trigger</source>
        <translation>干接点 2 触发条件</translation>
    </message>
    <message>
        <source>Requested charge voltage (RCV) time</source>
        <translation>请求充电电压（RCV）时间</translation>
    </message>
    <message>
        <source>Requested float voltage (RFV) time</source>
        <translation>请求浮充电压（RFV）时间</translation>
    </message>
    <message>
        <source>Emergency mode duration</source>
        <translation>应急模式持续时间</translation>
    </message>
    <message>
        <source>Re-bulk state of charge</source>
        <translation>重新恒流充电的荷电状态</translation>
    </message>
    <message>
        <source>Cell over-voltage delay</source>
        <translation>单体过压保护延时</translation>
    </message>
    <message>
        <source>Cell under-voltage delay</source>
        <translation>单体欠压保护延时</translation>
    </message>
    <message>
        <source>Cell difference protection</source>
        <translation>单体压差保护</translation>
    </message>
    <message>
        <source>Battery box over-temperature</source>
        <translation>电池箱过温保护</translation>
    </message>
    <message>
        <source>Battery box over-temperature recovery</source>
        <translation>电池箱过温恢复</translation>
    </message>
    <message>
        <source>Battery temperature difference protection</source>
        <translation>电池温差保护</translation>
    </message>
    <message>
        <source>Current calibration</source>
        <translation>电流校准</translation>
    </message>
    <message>
        <source>Board address</source>
        <translation>保护板地址</translation>
    </message>
    <message>
        <source>Battery type (0 LFP, 1 Li-ion, 2 LTO)</source>
        <translation>电池类型（0 LFP，1 Li-ion，2 LTO）</translation>
    </message>
    <message>
        <source>Sleep wait time</source>
        <translation>休眠等待时间</translation>
    </message>
    <message>
        <source>Low SOC alarm</source>
        <translation>低电量（SOC）告警</translation>
    </message>
    <message>
        <source>Dedicated charger</source>
        <translation>专用充电器</translation>
    </message>
    <message>
        <source>Actual capacity</source>
        <translation>实际容量</translation>
    </message>
    <message>
        <source>Temperature sensors disabled</source>
        <translation>禁用温度传感器</translation>
    </message>
    <message>
        <source>GPS heartbeat</source>
        <translation>GPS心跳</translation>
    </message>
    <message>
        <source>Shared port is RS485 (off: CAN)</source>
        <translation>复用端口为 RS485（关：CAN）</translation>
    </message>
    <message>
        <source>Display always on</source>
        <translation>显示常亮</translation>
    </message>
    <message>
        <source>Special charger</source>
        <translation>特殊充电器</translation>
    </message>
    <message>
        <source>Smart sleep</source>
        <translation>智能休眠</translation>
    </message>
    <message>
        <source>Parallel (PCL) module disabled</source>
        <translation>禁用并机（PCL）模块</translation>
    </message>
    <message>
        <source>Timed data storage</source>
        <translation>定时数据存储</translation>
    </message>
    <message>
        <source>Charging float mode</source>
        <translation>充电浮充模式</translation>
    </message>
    <message>
        <source>Button triggers emergency mode</source>
        <translation>按键触发应急模式</translation>
    </message>
    <message>
        <source>Dry contact alarm intermittent</source>
        <translation>干接点告警间歇输出</translation>
    </message>
    <message>
        <source>Discharge over-current stage 2</source>
        <translation>放电过流二级保护</translation>
    </message>
    <message>
        <source>Discharge over-current stage 3</source>
        <translation>放电过流三级保护</translation>
    </message>
    <message>
        <source>GPS lock blocks charging</source>
        <translation>GPS锁定时禁止充电</translation>
    </message>
    <message>
        <source>GPS lock blocks discharging</source>
        <translation>GPS锁定时禁止放电</translation>
    </message>
    <message>
        <source>When the difference between the highest and the lowest cell grows beyond this, the board&apos;s cell-difference protection trips.</source>
        <translation>最高与最低单体电压之差超过此值时，保护板的压差保护动作。</translation>
    </message>
    <message>
        <source>The battery box over-temperature protection: it trips above this temperature.</source>
        <translation>电池箱过温保护：温度高于此值时动作。</translation>
    </message>
    <message>
        <source>The battery box must cool below this before its over-temperature protection is released.</source>
        <translation>电池箱须冷却到此温度以下，其过温保护才会解除。</translation>
    </message>
    <message>
        <source>The largest temperature difference between the battery probes the board accepts before its protection trips.</source>
        <translation>保护板允许的各电池温度探头之间的最大温差，超过后保护动作。</translation>
    </message>
    <message>
        <source>The board&apos;s current calibration value (sent in mA). Change it only to calibrate against a meter.</source>
        <translation>保护板的电流校准值（以 mA 发送）。仅在对照仪表校准时修改。</translation>
    </message>
    <message>
        <source>The board&apos;s address on a shared bus: give every board on one bus an address of its own.</source>
        <translation>保护板在共享总线上的地址：同一总线上的每块保护板都应有各自的地址。</translation>
    </message>
    <message>
        <source>The cell chemistry the board is set up for: 0 LiFePO4, 1 Li-ion (ternary), 2 LTO.</source>
        <translation>保护板所设置的电芯化学体系：0 磷酸铁锂，1 三元锂，2 钛酸锂。</translation>
    </message>
    <message>
        <source>How long the board waits before it goes to sleep.</source>
        <translation>保护板进入休眠前的等待时间。</translation>
    </message>
    <message>
        <source>Below this state of charge the board raises its low-SOC alarm.</source>
        <translation>荷电状态低于此值时，保护板发出低电量告警。</translation>
    </message>
    <message>
        <source>The board&apos;s dedicated-charger switch. Its effect is not described in the sources Packbench follows: leave it as the board has it.</source>
        <translation>保护板的专用充电器开关。Packbench 所依据的资料未说明其作用：请保持保护板当前的设置。</translation>
    </message>
    <message>
        <source>The pack&apos;s actual capacity as the board keeps it.</source>
        <translation>保护板记录的电池组实际容量。</translation>
    </message>
    <message>
        <source>A control flag for JK&apos;s GPS module (its meaning is inferred from the vendor&apos;s bit pattern). Leave it as the board has it unless you use that module.</source>
        <translation>用于 JK GPS 模块的控制位（其含义系根据厂商的位排列推断）。除非使用该模块，否则请保持保护板当前的设置。</translation>
    </message>
    <message>
        <source>On: the board&apos;s display stays on instead of going dark after a while.</source>
        <translation>开启：保护板的显示屏常亮，不会在一段时间后熄灭。</translation>
    </message>
    <message>
        <source>A control flag the vendor calls special charger (its meaning is inferred from the vendor&apos;s bit pattern). Leave it as the board has it.</source>
        <translation>厂商称为“特殊充电器”的控制位（其含义系根据厂商的位排列推断）。请保持保护板当前的设置。</translation>
    </message>
    <message>
        <source>On: the board may go to sleep by itself (see the smart sleep voltage and time).</source>
        <translation>开启：保护板可自行进入休眠（见智能休眠电压和时间）。</translation>
    </message>
    <message>
        <source>On: the board ignores a parallel (PCL) module connected to it.</source>
        <translation>开启：保护板忽略所连接的并联（PCL）模块。</translation>
    </message>
    <message>
        <source>On: the board stores its data at fixed intervals.</source>
        <translation>开启：保护板按固定间隔存储数据。</translation>
    </message>
    <message>
        <source>On: the board&apos;s button starts emergency mode, which overrides the protections for the emergency duration.</source>
        <translation>开启：按下保护板的按键即启动紧急模式，在紧急模式时长内保护功能被解除。</translation>
    </message>
    <message>
        <source>On: the dry-contact alarm output pulses instead of staying closed.</source>
        <translation>开启：干接点告警输出为间歇脉冲，而非持续闭合。</translation>
    </message>
    <message>
        <source>On: a GPS remote lock also blocks charging.</source>
        <translation>开启：GPS 远程锁定时也禁止充电。</translation>
    </message>
    <message>
        <source>On: a GPS remote lock also blocks discharging.</source>
        <translation>开启：GPS 远程锁定时也禁止放电。</translation>
    </message>
    <message>
        <source>Cell over-voltage</source>
        <translation>单体过压</translation>
    </message>
    <message>
        <source>Cell under-voltage</source>
        <translation>单体欠压</translation>
    </message>
    <message>
        <source>Pack over-voltage</source>
        <translation>总压过压</translation>
    </message>
    <message>
        <source>Pack under-voltage</source>
        <translation>总压欠压</translation>
    </message>
    <message>
        <source>Charge over-current</source>
        <translation>充电过流</translation>
    </message>
    <message>
        <source>Discharge over-current</source>
        <translation>放电过流</translation>
    </message>
    <message>
        <source>Short circuit</source>
        <translation>短路</translation>
    </message>
    <message>
        <source>Cell difference too high</source>
        <translation>单体压差过大</translation>
    </message>
    <message>
        <source>Balance-lead resistance too high</source>
        <translation>均衡线电阻过大</translation>
    </message>
    <message>
        <source>Cell count differs from the setting</source>
        <translation>电芯串数与设置不符</translation>
    </message>
    <message>
        <source>Temperature sensor fault</source>
        <translation>温度传感器故障</translation>
    </message>
    <message>
        <source>Balancer fault</source>
        <translation>均衡器故障</translation>
    </message>
    <message>
        <source>Measurement chip fault</source>
        <translation>采集芯片故障</translation>
    </message>
    <message>
        <source>Internal communication fault</source>
        <translation>内部通信故障</translation>
    </message>
    <message>
        <source>Low state of charge</source>
        <translation>电量过低（SOC）</translation>
    </message>
    <message>
        <source>Default password still set</source>
        <translation>仍在使用默认密码</translation>
    </message>
    <message>
        <source>Number of series cells in the pack. Set it exactly before use: a wrong count stops the BMS from working properly.</source>
        <translation>电池组的串联电芯数量。使用前请准确设置：串数错误会导致 BMS 无法正常工作。</translation>
    </message>
    <message>
        <source>Design capacity of the pack.</source>
        <translation>电池组的设计容量。</translation>
    </message>
    <message>
        <source>Balancing runs while the largest cell difference is above this value and the cell is above the balance start voltage. The manual suggests 0.005 V from 50 Ah, 0.010 V below.</source>
        <translation>当最大单体压差高于此值且电芯电压高于均衡启动电压时进行均衡。说明书建议：50 Ah 及以上为 0.005 V，以下为 0.010 V。</translation>
    </message>
    <message>
        <source>When any cell falls below this voltage the BMS switches discharging off; it switches back on once every cell is above the recovery voltage.</source>
        <translation>任一单体电压低于此值时，BMS 关闭放电；所有单体电压均高于恢复电压后重新开启放电。</translation>
    </message>
    <message>
        <source>Every cell must rise above this voltage before discharging is switched back on after an under-voltage cut-off.</source>
        <translation>欠压断开后，所有单体电压均须高于此值才会重新开启放电。</translation>
    </message>
    <message>
        <source>When any cell rises above this voltage the BMS switches charging off; it switches back on once every cell is below the recovery voltage.</source>
        <translation>任一单体电压高于此值时，BMS 关闭充电；所有单体电压均低于恢复电压后重新开启充电。</translation>
    </message>
    <message>
        <source>Every cell must fall below this voltage before charging is switched back on after an over-voltage cut-off.</source>
        <translation>过压断开后，所有单体电压均须低于此值才会重新开启充电。</translation>
    </message>
    <message>
        <source>The BMS shuts itself down when the lowest cell reaches this voltage. It must be lower than the cell under-voltage protection.</source>
        <translation>最低单体电压降到此值时 BMS 自动关机。此值必须低于单体欠压保护值。</translation>
    </message>
    <message>
        <source>Charging above this current for longer than the delay switches charging off until the release time has passed.</source>
        <translation>充电电流超过此值且持续时间超过延时后关闭充电，直到解除时间结束。</translation>
    </message>
    <message>
        <source>Discharging above this current for longer than the delay switches discharging off until the release time has passed.</source>
        <translation>放电电流超过此值且持续时间超过延时后关闭放电，直到解除时间结束。</translation>
    </message>
    <message>
        <source>Time after a short-circuit cut-off before the BMS switches on again.</source>
        <translation>短路断开后 BMS 重新开启前的等待时间。</translation>
    </message>
    <message>
        <source>Balancing only runs on cells above this voltage.</source>
        <translation>仅对电压高于此值的电芯进行均衡。</translation>
    </message>
    <message>
        <source>Largest current the balancer moves between cells. Keep it at or below 0.1 C (20 Ah: 2 A).</source>
        <translation>均衡器在电芯之间转移的最大电流。请保持在 0.1 C 及以下（20 Ah：2 A）。</translation>
    </message>
    <message>
        <source>Charging stops above this battery temperature and resumes below the recovery temperature.</source>
        <translation>电池温度高于此值时停止充电，低于恢复温度后恢复充电。</translation>
    </message>
    <message>
        <source>Charging stops below this battery temperature and resumes above the recovery temperature. Charging lithium cells below 0 °C damages them.</source>
        <translation>电池温度低于此值时停止充电，高于恢复温度后恢复充电。在 0 °C 以下给锂电芯充电会损坏电芯。</translation>
    </message>
    <message>
        <source>Charging and discharging stop when the power stage is hotter than this and resume below the recovery temperature.</source>
        <translation>功率级（MOS）温度高于此值时停止充放电，低于恢复温度后恢复。</translation>
    </message>
    <message>
        <source>Off: the pack cannot be charged. On a common-port pack regenerative braking then has nowhere to go.</source>
        <translation>关：电池组无法充电。对于同口电池组，此时能量回收（再生制动）的电能将无处可去。</translation>
    </message>
    <message>
        <source>Off: the pack delivers no power.</source>
        <translation>关：电池组不输出电能。</translation>
    </message>
    <message>
        <source>Below this cell voltage the board may go to sleep to save the pack (JK-PB boards).</source>
        <translation>单体电压低于此值时，保护板可能进入休眠以保护电池组（JK-PB 保护板）。</translation>
    </message>
    <message>
        <source>The cell voltage the board counts as 100 % state of charge. Keep it between the over-voltage recovery and the over-voltage protection.</source>
        <translation>保护板视为 100% 荷电状态的单体电压。请保持在过压恢复值与过压保护值之间。</translation>
    </message>
    <message>
        <source>The cell voltage the board counts as 0 % state of charge.</source>
        <translation>保护板视为 0% 荷电状态的单体电压。</translation>
    </message>
    <message>
        <source>Per-cell charge voltage the board asks an inverter for. Must stay below the cell over-voltage protection.</source>
        <translation>保护板向逆变器请求的单体充电电压。必须低于单体过压保护值。</translation>
    </message>
    <message>
        <source>Per-cell float voltage the board asks an inverter for once the pack is full. Must stay below the cell over-voltage protection.</source>
        <translation>电池组充满后保护板向逆变器请求的单体浮充电压。必须低于单体过压保护值。</translation>
    </message>
    <message>
        <source>How long the charge current may stay above the limit before charging is switched off.</source>
        <translation>充电电流超过限值后，持续多长时间才关闭充电。</translation>
    </message>
    <message>
        <source>How long charging stays off after a charge over-current.</source>
        <translation>充电过流后充电保持关闭的时间。</translation>
    </message>
    <message>
        <source>How long the discharge current may stay above the limit before discharging is switched off.</source>
        <translation>放电电流超过限值后，持续多长时间才关闭放电。</translation>
    </message>
    <message>
        <source>How long discharging stays off after a discharge over-current.</source>
        <translation>放电过流后放电保持关闭的时间。</translation>
    </message>
    <message>
        <source>Charging resumes when the battery has cooled below this temperature.</source>
        <translation>电池温度降到此值以下时恢复充电。</translation>
    </message>
    <message>
        <source>Discharging stops above this battery temperature and resumes below the recovery temperature.</source>
        <translation>电池温度高于此值时停止放电，低于恢复温度后恢复放电。</translation>
    </message>
    <message>
        <source>Discharging resumes when the battery has cooled below this temperature.</source>
        <translation>电池温度降到此值以下时恢复放电。</translation>
    </message>
    <message>
        <source>Charging resumes when the battery has warmed above this temperature.</source>
        <translation>电池温度升到此值以上时恢复充电。</translation>
    </message>
    <message>
        <source>Charging and discharging resume when the power stage has cooled below this temperature.</source>
        <translation>功率级（MOS）温度降到此值以下时恢复充放电。</translation>
    </message>
    <message>
        <source>How long a short circuit may last before the board cuts the output. Shorter protects the MOSFETs better; too short trips on motor inrush.</source>
        <translation>短路持续多长时间后保护板切断输出。时间越短对 MOS 的保护越好；过短则会因电机启动浪涌电流而误触发。</translation>
    </message>
    <message>
        <source>Off: the balancer stays idle and cells drift apart over the cycles.</source>
        <translation>关：均衡器不工作，各电芯电压在循环中逐渐偏离。</translation>
    </message>
    <message>
        <source>On: the heater warms the pack in the cold before charging (boards with a heater output).</source>
        <translation>开：低温时加热器在充电前给电池组加热（适用于带加热输出的保护板）。</translation>
    </message>
    <message>
        <source>How long the board precharges the output capacitors of a controller or inverter before switching discharging fully on.</source>
        <translation>在完全开启放电之前，保护板对控制器或逆变器的输出电容进行预充的时间。</translation>
    </message>
    <message>
        <source>The heater switches on below this temperature. On boards without a heater these values may be battery alarm temperatures instead.</source>
        <translation>温度低于此值时加热器开启。在没有加热器的保护板上，这些数值可能是电池告警温度。</translation>
    </message>
    <message>
        <source>The heater switches off above this temperature.</source>
        <translation>温度高于此值时加热器关闭。</translation>
    </message>
    <message>
        <source>Hours without current before the board goes to sleep.</source>
        <translation>无电流持续多少小时后保护板进入休眠。</translation>
    </message>
    <message>
        <source>Discharging stops below this battery temperature and resumes above the recovery temperature.</source>
        <translation>电池温度低于此值时停止放电，高于恢复温度后恢复放电。</translation>
    </message>
    <message>
        <source>Discharging resumes when the battery has warmed above this temperature.</source>
        <translation>电池温度升到此值以上时恢复放电。</translation>
    </message>
    <message>
        <source>The board&apos;s measurement reference (JK04). Change it only to calibrate against a meter.</source>
        <translation>保护板的测量基准（JK04）。仅在对照仪表校准时修改。</translation>
    </message>
    <message>
        <source>On: the shared port speaks RS485; off: CAN.</source>
        <translation>开：复用端口使用 RS485；关：CAN。</translation>
    </message>
    <message>
        <source>Which protocol the board speaks on this port, as a number from the vendor&apos;s list (for example 1: JK BMS RS485 Modbus V1.0). It must match the inverter.</source>
        <translation>保护板在此端口使用的协议，为厂家列表中的编号（例如 1：JK BMS RS485 Modbus V1.0）。必须与逆变器一致。</translation>
    </message>
    <message>
        <source>Which protocol the board speaks on this port, as a number from the vendor&apos;s list. It must match the inverter.</source>
        <translation>保护板在此端口使用的协议，为厂家列表中的编号。必须与逆变器一致。</translation>
    </message>
    <message>
        <source>Which CAN protocol the board speaks, as a number from the vendor&apos;s list (0: JK BMS CAN Protocol 250K V2.0). It must match the inverter.</source>
        <translation>保护板使用的 CAN 协议，为厂家列表中的编号（0：JK BMS CAN Protocol 250K V2.0）。必须与逆变器一致。</translation>
    </message>
    <message>
        <source>Which event sounds the display&apos;s buzzer, as a number from the vendor&apos;s list.</source>
        <translation>哪个事件使显示屏蜂鸣器鸣响，为厂家列表中的编号。</translation>
    </message>
    <message>
        <source>Which event closes dry contact 1, as a number from the vendor&apos;s list.</source>
        <translation>哪个事件使干接点 1 闭合，为厂家列表中的编号。</translation>
    </message>
    <message>
        <source>Which event closes dry contact 2, as a number from the vendor&apos;s list.</source>
        <translation>哪个事件使干接点 2 闭合，为厂家列表中的编号。</translation>
    </message>
    <message>
        <source>How long the board asks the inverter for the charge voltage before it asks for the float voltage.</source>
        <translation>保护板向逆变器请求充电电压的时长，之后改为请求浮充电压。</translation>
    </message>
    <message>
        <source>How long the board asks the inverter for the float voltage.</source>
        <translation>保护板向逆变器请求浮充电压的时长。</translation>
    </message>
    <message>
        <source>How long emergency mode lasts once started: the protections are overridden for this time.</source>
        <translation>应急模式启动后持续的时间：在此期间保护功能被暂时解除。</translation>
    </message>
    <message>
        <source>Below this state of charge the board asks the inverter for the charge voltage again instead of the float voltage.</source>
        <translation>荷电状态低于此值时，保护板重新向逆变器请求充电电压，而不再是浮充电压。</translation>
    </message>
    <message>
        <source>On: after the charge voltage is reached the board asks the inverter for the float voltage.</source>
        <translation>开：达到充电电压后，保护板向逆变器请求浮充电压。</translation>
    </message>
    <message>
        <source>Second, shorter over-current stage for high discharge currents.</source>
        <translation>针对大放电电流的第二级过流保护，延时更短。</translation>
    </message>
    <message>
        <source>Third, shortest over-current stage for very high discharge currents.</source>
        <translation>针对极大放电电流的第三级过流保护，延时最短。</translation>
    </message>
    <message>
        <source>On: the board ignores its temperature probes. Temperature protection then no longer works.</source>
        <translation>开：保护板忽略其温度探头。此时温度保护将不再起作用。</translation>
    </message>
    <message>
        <source>Cell voltage at 100 %</source>
        <translation>100 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 0 %</source>
        <translation>0 % 时的单体电压</translation>
    </message>
    <message>
        <source>Self-discharge rate</source>
        <translation>自放电率</translation>
    </message>
    <message>
        <source>Sources disagree: self-discharge in 0.1 % (RegMap) or the board&apos;s own consumption in mA (V11).</source>
        <translation>资料说法不一：以 0.1 % 计的自放电（RegMap），或以 mA 计的保护板自身功耗（V11）。</translation>
    </message>
    <message>
        <source>Cycle count</source>
        <translation>循环次数</translation>
    </message>
    <message>
        <source>Balance trigger difference</source>
        <translation>均衡触发压差</translation>
    </message>
    <message>
        <source>Level 1: the board only warns (an alarm in the live data); the protection (level 2) switches the MOSFETs off. Keep it on the safe side of the protection.</source>
        <translation>一级：保护板只发出警告（实时数据中的告警）；保护（二级）会关断 MOSFET。请把它设在保护值的安全一侧。</translation>
    </message>
    <message>
        <source>Level 2: the board switches the MOSFETs off; level 1 warns before it.</source>
        <translation>二级：保护板关断 MOSFET；一级会在此之前发出警告。</translation>
    </message>
    <message>
        <source>Read-only: Daly documents no command that writes this on A5 boards (jbd_daly.md §5); Packbench does not guess one.</source>
        <extracomment>why the A5 settings are read-only (§5: writes are undocumented)</extracomment>
        <translation>只读：Daly 没有公开在 A5 保护板上写入此项的命令（jbd_daly.md §5）；Packbench 不会猜测命令。</translation>
    </message>
    <message>
        <source>Read-only: Packbench does not change how the board is wired, and this part of the block differs between models.</source>
        <translation>只读：Packbench 不会更改保护板的接线配置，而且设置区的这一部分因型号而异。</translation>
    </message>
    <message>
        <source>Cell reference voltage</source>
        <translation>单体参考电压</translation>
    </message>
    <message>
        <source>Acquisition boards</source>
        <translation>采集板数量</translation>
    </message>
    <message>
        <source>Cells on board 1</source>
        <translation>采集板 1 的电芯数</translation>
    </message>
    <message>
        <source>Cells on board 2</source>
        <translation>采集板 2 的电芯数</translation>
    </message>
    <message>
        <source>Cells on board 3</source>
        <translation>采集板 3 的电芯数</translation>
    </message>
    <message>
        <source>Temperature probes on board 1</source>
        <translation>采集板 1 的温度探头数</translation>
    </message>
    <message>
        <source>Temperature probes on board 2</source>
        <translation>采集板 2 的温度探头数</translation>
    </message>
    <message>
        <source>Temperature probes on board 3</source>
        <translation>采集板 3 的温度探头数</translation>
    </message>
    <message>
        <source>Battery type</source>
        <translation>电池类型</translation>
    </message>
    <message>
        <source>Sleep after</source>
        <translation>休眠等待时间</translation>
    </message>
    <message>
        <source>Cell over-voltage warning</source>
        <translation>单体过压警告</translation>
    </message>
    <message>
        <source>Cell under-voltage warning</source>
        <translation>单体欠压警告</translation>
    </message>
    <message>
        <source>Pack over-voltage warning</source>
        <translation>总压过压警告</translation>
    </message>
    <message>
        <source>The values this field takes are documented nowhere; shown as read, not written.</source>
        <translation>此字段的取值没有任何资料说明；仅按读取值显示，不写入。</translation>
    </message>
    <message>
        <source>A counter the board keeps; not a setting.</source>
        <translation>保护板自己维护的计数器，不是设置项。</translation>
    </message>
    <message>
        <source>A warning only: the board reports it (older boards sound the buzzer) and keeps the MOSFETs on.</source>
        <translation>仅为警告：保护板会报告它（旧款保护板会响蜂鸣器），MOS 管保持导通。</translation>
    </message>
    <message>
        <source>The warning clears when the value is back on this side of it.</source>
        <translation>数值回到此值的这一侧时，警告解除。</translation>
    </message>
    <message>
        <source>A second limit beyond the first, for a fault that goes on after the first protection tripped.</source>
        <translation>超出一级保护的第二道限值，用于一级保护动作后故障仍在持续的情况。</translation>
    </message>
    <message>
        <source>The level-2 protection releases when the value is back on this side of it.</source>
        <translation>数值回到此值的这一侧时，二级保护解除。</translation>
    </message>
    <message>
        <source>Sources disagree on this register&apos;s unit (esphome: 1 Ah, the vendor app: 1e-6 Ah); Packbench reads it in 1e-6 Ah like the live frame&apos;s capacities.</source>
        <extracomment>the help of the 2021 nominal capacity (a shared key whose register unit is in doubt, §2.7)</extracomment>
        <translation>各资料对此寄存器的单位说法不一（esphome：1 Ah；厂商应用：1e-6 Ah）；Packbench 与实时数据帧中的容量一样，按 1e-6 Ah 读取。</translation>
    </message>
    <message>
        <source>Cell over-voltage protection, level 2</source>
        <translation>单体过压保护（二级）</translation>
    </message>
    <message>
        <source>Cell over-voltage level 2 recovery</source>
        <translation>单体过压二级恢复</translation>
    </message>
    <message>
        <source>Cell under-voltage protection, level 2</source>
        <translation>单体欠压保护（二级）</translation>
    </message>
    <message>
        <source>Cell under-voltage level 2 recovery</source>
        <translation>单体欠压二级恢复</translation>
    </message>
    <message>
        <source>Cell difference recovery</source>
        <translation>单体压差恢复</translation>
    </message>
    <message>
        <source>Cell over-voltage warning recovery</source>
        <translation>单体过压警告恢复</translation>
    </message>
    <message>
        <source>Pack over-voltage warning recovery</source>
        <translation>总压过压警告恢复</translation>
    </message>
    <message>
        <source>Cell under-voltage warning recovery</source>
        <translation>单体欠压警告恢复</translation>
    </message>
    <message>
        <source>Pack under-voltage warning</source>
        <translation>总压欠压警告</translation>
    </message>
    <message>
        <source>Pack under-voltage warning recovery</source>
        <translation>总压欠压警告恢复</translation>
    </message>
    <message>
        <source>Cell difference warning</source>
        <translation>单体压差警告</translation>
    </message>
    <message>
        <source>Cell difference warning recovery</source>
        <translation>单体压差警告恢复</translation>
    </message>
    <message>
        <source>Discharge over-current, level 2</source>
        <translation>放电过流（二级）</translation>
    </message>
    <message>
        <source>Discharge over-current level 2 delay</source>
        <translation>放电过流二级延时</translation>
    </message>
    <message>
        <source>Charge over-current warning</source>
        <translation>充电过流警告</translation>
    </message>
    <message>
        <source>Charge over-current warning recovery</source>
        <translation>充电过流警告恢复</translation>
    </message>
    <message>
        <source>Discharge over-current warning</source>
        <translation>放电过流警告</translation>
    </message>
    <message>
        <source>Discharge over-current warning recovery</source>
        <translation>放电过流警告恢复</translation>
    </message>
    <message>
        <source>Low state-of-charge warning, level 1</source>
        <translation>低电量警告（一级）</translation>
    </message>
    <message>
        <source>Low state-of-charge warning, level 2</source>
        <translation>低电量警告（二级）</translation>
    </message>
    <message>
        <source>Balance limit voltage</source>
        <translation>均衡上限电压</translation>
    </message>
    <message>
        <source>Balance stop difference</source>
        <translation>均衡停止压差</translation>
    </message>
    <message>
        <source>Balance while charging above</source>
        <translation>充电均衡起始电流</translation>
    </message>
    <message>
        <source>Cell type (raw)</source>
        <translation>电芯类型（原始值）</translation>
    </message>
    <message>
        <source>Under-voltage resistance compensation</source>
        <translation>欠压内阻补偿</translation>
    </message>
    <message>
        <source>Charge current asked of the charger</source>
        <translation>向充电器请求的充电电流</translation>
    </message>
    <message>
        <source>Remaining capacity (stored)</source>
        <translation>剩余容量（存储值）</translation>
    </message>
    <message>
        <source>Cycle capacity (stored)</source>
        <translation>循环容量（存储值）</translation>
    </message>
    <message>
        <source>SOC method (raw)</source>
        <translation>SOC 计算方式（原始值）</translation>
    </message>
    <message>
        <source>Tyre length</source>
        <translation>轮胎周长</translation>
    </message>
    <message>
        <source>Pulses per wheel revolution</source>
        <translation>车轮每转脉冲数</translation>
    </message>
    <message>
        <source>Secondary module number</source>
        <translation>从模块编号</translation>
    </message>
    <message>
        <source>Buzzer</source>
        <translation>蜂鸣器</translation>
    </message>
    <message>
        <source>System reference voltage</source>
        <translation>系统基准电压</translation>
    </message>
    <message>
        <source>Current-sensor range</source>
        <translation>电流传感器量程</translation>
    </message>
    <message>
        <source>Power-on current</source>
        <translation>开机唤醒电流</translation>
    </message>
    <message>
        <source>Standby after no current</source>
        <translation>无电流待机时间</translation>
    </message>
    <message>
        <source>Pack-voltage calibration (raw)</source>
        <translation>总压校准（原始值）</translation>
    </message>
    <message>
        <source>The board protects when the highest and lowest cell differ by more.</source>
        <translation>最高与最低单体电压之差超过此值时，保护板进入保护。</translation>
    </message>
    <message>
        <source>The difference protection releases when the cells differ by less.</source>
        <translation>单体压差小于此值时，压差保护解除。</translation>
    </message>
    <message>
        <source>How long the level-2 over-current may last before the board cuts discharging.</source>
        <translation>二级过流持续多长时间后保护板切断放电。</translation>
    </message>
    <message>
        <source>A current this large counts as a short circuit: the board cuts off at once.</source>
        <translation>达到此电流即视为短路：保护板立即切断。</translation>
    </message>
    <message>
        <source>The balancer does not take cells above this voltage any higher.</source>
        <translation>均衡器不会把高于此电压的电芯继续充高。</translation>
    </message>
    <message>
        <source>The balancer stops when the cells differ by less.</source>
        <translation>单体压差小于此值时，均衡停止。</translation>
    </message>
    <message>
        <source>Balancing while charging starts above this charge current.</source>
        <translation>充电电流高于此值时开始充电均衡。</translation>
    </message>
    <message>
        <source>The lead resistance the board allows for when it checks under-voltage.</source>
        <translation>保护板在判断欠压时考虑的引线电阻。</translation>
    </message>
    <message>
        <source>The charge current the board asks a charger or inverter for.</source>
        <translation>保护板向充电器或逆变器请求的充电电流。</translation>
    </message>
    <message>
        <source>Set it with the remaining-capacity command, which moves the state of charge.</source>
        <translation>请用&quot;设置剩余容量&quot;命令修改它，该命令会改变荷电状态。</translation>
    </message>
    <message>
        <source>For the speed and distance an e-bike display shows.</source>
        <translation>用于电动自行车仪表显示的速度和里程。</translation>
    </message>
    <message>
        <source>How many pulses the wheel sensor gives per turn, for the speed an e-bike display shows.</source>
        <translation>车轮传感器每转输出的脉冲数，用于电动自行车仪表显示的速度。</translation>
    </message>
    <message>
        <source>The board&apos;s buzzer sounds on alarms.</source>
        <translation>保护板的蜂鸣器在报警时鸣响。</translation>
    </message>
    <message>
        <source>A current this large wakes the board.</source>
        <translation>达到此电流即唤醒保护板。</translation>
    </message>
    <message>
        <source>The board goes to standby after this long without current.</source>
        <translation>无电流持续此时间后，保护板进入待机。</translation>
    </message>
    <message>
        <source>Charge over-temperature warning</source>
        <translation>充电高温警告</translation>
    </message>
    <message>
        <source>Charge under-temperature warning</source>
        <translation>充电低温警告</translation>
    </message>
    <message>
        <source>Discharge over-temperature warning</source>
        <translation>放电高温警告</translation>
    </message>
    <message>
        <source>Discharge under-temperature warning</source>
        <translation>放电低温警告</translation>
    </message>
    <message>
        <source>Cell voltage difference warning</source>
        <translation>单体压差警告</translation>
    </message>
    <message>
        <source>Cell voltage difference protection</source>
        <translation>单体压差保护</translation>
    </message>
    <message>
        <source>Temperature difference warning</source>
        <translation>温差警告</translation>
    </message>
    <message>
        <source>Temperature difference protection</source>
        <translation>温差保护</translation>
    </message>
    <message>
        <source>State of charge (as set)</source>
        <translation>荷电状态（设定值）</translation>
    </message>
    <message>
        <source>Current limits stored as</source>
        <translation>电流限值的存储方式</translation>
    </message>
    <message>
        <source>Cumulative charge (raw)</source>
        <translation>累计充电量（原始值）</translation>
    </message>
    <message>
        <source>Cumulative discharge (raw)</source>
        <translation>累计放电量（原始值）</translation>
    </message>
    <message>
        <source>Operation mode</source>
        <translation>运行模式</translation>
    </message>
    <message>
        <source>Auto sleep (raw)</source>
        <translation>自动休眠（原始值）</translation>
    </message>
    <message>
        <source>SOC high warning</source>
        <translation>SOC 过高警告</translation>
    </message>
    <message>
        <source>SOC high protection</source>
        <translation>SOC 过高保护</translation>
    </message>
    <message>
        <source>SOC low warning</source>
        <translation>SOC 过低警告</translation>
    </message>
    <message>
        <source>SOC low protection</source>
        <translation>SOC 过低保护</translation>
    </message>
    <message>
        <source>Short-circuit current</source>
        <translation>短路电流</translation>
    </message>
    <message>
        <source>Current shunt resistance</source>
        <translation>电流采样电阻</translation>
    </message>
    <message>
        <source>The cell&apos;s nominal voltage (3.2 V LiFePO4, 3.7 V Li-ion, 2.3 V LTO).</source>
        <translation>电芯的标称电压（磷酸铁锂 3.2 V，锂离子 3.7 V，钛酸锂 2.3 V）。</translation>
    </message>
    <message>
        <source>0 LiFePO4, 1 Li-ion (NMC), 2 LTO (register 0x89). Packbench&apos;s chemistry presets set it with the voltages.</source>
        <translation>0 磷酸铁锂，1 锂离子（三元），2 钛酸锂（寄存器 0x89）。Packbench 的化学体系预设会连同电压一起设置它。</translation>
    </message>
    <message>
        <source>Idle time before the board sleeps.</source>
        <translation>保护板进入休眠前的空闲时间。</translation>
    </message>
    <message>
        <source>Read-only here: setting it moves the board&apos;s state of charge, so it is a Control action, not a limit.</source>
        <translation>此处只读：设置它会改变保护板的荷电状态，因此属于“控制”操作，而不是限值。</translation>
    </message>
    <message>
        <source>Read-only: on which side of the 30000 offset the board keeps each current limit; a write keeps that side.</source>
        <translation>只读：保护板将每个电流限值存放在 30000 偏移量的哪一侧；写入时保持同一侧。</translation>
    </message>
    <message>
        <source>Function switches (raw)</source>
        <translation>功能开关（原始值）</translation>
    </message>
    <message>
        <source>Balance only while charging</source>
        <translation>仅充电时均衡</translation>
    </message>
    <message>
        <source>Switch input (weak-current key)</source>
        <translation>开关输入（弱电按键）</translation>
    </message>
    <message>
        <source>Load detection after short circuit</source>
        <translation>短路后负载检测</translation>
    </message>
    <message>
        <source>LEDs</source>
        <translation>指示灯</translation>
    </message>
    <message>
        <source>LED capacity display</source>
        <translation>指示灯电量显示</translation>
    </message>
    <message>
        <source>Temperature sensors enabled (bits)</source>
        <translation>启用的温度传感器（位）</translation>
    </message>
    <message>
        <source>The charge counted as one cycle.</source>
        <translation>计为一个循环的电量。</translation>
    </message>
    <message>
        <source>Stored by the board as a negative current.</source>
        <translation>保护板以负电流值保存。</translation>
    </message>
    <message>
        <source>Board calibration: leave it as the factory set it.</source>
        <translation>保护板校准值：请保持出厂设置。</translation>
    </message>
    <message>
        <source>Bit 0 is sensor 1.</source>
        <translation>第 0 位为传感器 1。</translation>
    </message>
    <message>
        <source>Switch control time</source>
        <translation>开关控制时间</translation>
    </message>
    <message>
        <source>LED on time</source>
        <translation>指示灯点亮时间</translation>
    </message>
    <message>
        <source>Cell voltage at 80 %</source>
        <translation>80 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 60 %</source>
        <translation>60 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 40 %</source>
        <translation>40 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 20 %</source>
        <translation>20 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 90 %</source>
        <translation>90 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 70 %</source>
        <translation>70 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 50 %</source>
        <translation>50 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 30 %</source>
        <translation>30 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell voltage at 10 %</source>
        <translation>10 % 时的单体电压</translation>
    </message>
    <message>
        <source>Cell over-voltage, hardware level</source>
        <translation>单体过压（硬件级）</translation>
    </message>
    <message>
        <source>Cell under-voltage, hardware level</source>
        <translation>单体欠压（硬件级）</translation>
    </message>
    <message>
        <source>Hardware protection register (raw)</source>
        <translation>硬件保护寄存器（原始值）</translation>
    </message>
    <message>
        <source>Hardware current thresholds ×2</source>
        <translation>硬件电流阈值 ×2</translation>
    </message>
    <message>
        <source>One of 70, 100, 200 or 400 µs (TI front end).</source>
        <translation>70、100、200 或 400 µs 之一（TI 前端芯片）。</translation>
    </message>
    <message>
        <source>Sources disagree on the bit order of this register.</source>
        <translation>资料对该寄存器的位顺序说法不一。</translation>
    </message>
    <message>
        <source>What the board reports as its model: English letters, digits and dashes, at most 31.</source>
        <translation>保护板报告的型号：英文字母、数字和短横线，最多 31 个字符。</translation>
    </message>
    <message>
        <source>Short-circuit threshold (shunt)</source>
        <translation>短路阈值（采样电阻）</translation>
    </message>
    <message>
        <source>Hardware over-current delay</source>
        <translation>硬件过流延时</translation>
    </message>
    <message>
        <source>Hardware over-current threshold (shunt)</source>
        <translation>硬件过流阈值（采样电阻）</translation>
    </message>
    <message>
        <source>Hardware delays register (raw)</source>
        <translation>硬件延时寄存器（原始值）</translation>
    </message>
    <message>
        <source>Hardware under-voltage delay</source>
        <translation>硬件欠压延时</translation>
    </message>
    <message>
        <source>Hardware over-voltage delay</source>
        <translation>硬件过压延时</translation>
    </message>
    <message>
        <source>Short-circuit recovery</source>
        <translation>短路恢复</translation>
    </message>
    <message>
        <source>Charge under-temperature delay</source>
        <translation>充电低温延时</translation>
    </message>
    <message>
        <source>Charge over-temperature delay</source>
        <translation>充电高温延时</translation>
    </message>
    <message>
        <source>Discharge under-temperature delay</source>
        <translation>放电低温延时</translation>
    </message>
    <message>
        <source>Discharge over-temperature delay</source>
        <translation>放电高温延时</translation>
    </message>
    <message>
        <source>Pack under-voltage delay</source>
        <translation>总压欠压延时</translation>
    </message>
    <message>
        <source>Pack over-voltage delay</source>
        <translation>总压过压延时</translation>
    </message>
    <message>
        <source>Charge over-current recovery</source>
        <translation>充电过流恢复</translation>
    </message>
    <message>
        <source>Discharge over-current recovery</source>
        <translation>放电过流恢复</translation>
    </message>
    <message>
        <source>GPS board cut-off voltage</source>
        <translation>GPS 板断电电压</translation>
    </message>
    <message>
        <source>GPS board cut-off time</source>
        <translation>GPS 板断电时间</translation>
    </message>
    <message>
        <source>Manufacturer name</source>
        <extracomment>registers a settings read may go without (the keys are then left out): the 10 % points exist on firmware 0x20 and newer only (§3.2), and the vendor app&apos;s own full read of an SP04S034 (jbd.json ``jbd_sp04eeprom_*``) skipped 0x2D, 0x2E, 0x31, 0x40 and 0x41, so not every board need answer them the strings (§3.2): reply data = [length][ASCII], at most 31 characters</extracomment>
        <translation>制造商名称</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条形码</translation>
    </message>
    <message>
        <source>Charging</source>
        <extracomment>the MOSFET switches (0xE1, §3.4): not in the EEPROM; read back from the live data&apos;s FET state and the &quot;MOS software lock&quot; protection bit</extracomment>
        <translation>充电</translation>
    </message>
    <message>
        <source>Discharging</source>
        <translation>放电</translation>
    </message>
    <message>
        <source>A point of the board&apos;s voltage-to-charge curve: the cell voltage it counts as this state of charge, for its state-of-charge estimate.</source>
        <translation>保护板电压-电量曲线上的一点：它将此单体电压视为该荷电状态，用于估算荷电状态。</translation>
    </message>
    <message>
        <source>The date the board was made, as its EEPROM keeps it.</source>
        <translation>保护板的生产日期，记录在其 EEPROM 中。</translation>
    </message>
    <message>
        <source>The serial number the board&apos;s EEPROM keeps (0 to 65535).</source>
        <translation>保护板 EEPROM 中记录的序列号（0 至 65535）。</translation>
    </message>
    <message>
        <source>The charge cycles the board has counted.</source>
        <translation>保护板统计的充电循环次数。</translation>
    </message>
    <message>
        <source>The board&apos;s function switches as one number (bit 0 switch input, 1 load detection, 2 balancing, 3 balancing only while charging, 4 LEDs, 5 LED capacity display). The switches below change single bits of it.</source>
        <translation>以一个数字表示的保护板功能开关（位 0 开关输入，1 负载检测，2 均衡，3 仅充电时均衡，4 LED，5 LED 电量显示）。下方的各开关分别修改其中的单个位。</translation>
    </message>
    <message>
        <source>On: the balancer works only while the pack is charging.</source>
        <translation>开启：仅在电池组充电时进行均衡。</translation>
    </message>
    <message>
        <source>On: the board follows its switch input (a key or switch wired to the board).</source>
        <translation>开启：保护板响应其开关输入（接在保护板上的按键或开关）。</translation>
    </message>
    <message>
        <source>On: after a short circuit the board checks that the load is gone before it switches the output on again.</source>
        <translation>开启：短路后，保护板先确认负载已移除，再重新开启输出。</translation>
    </message>
    <message>
        <source>On: the board&apos;s LEDs are used.</source>
        <translation>开启：使用保护板的 LED。</translation>
    </message>
    <message>
        <source>On: the LEDs show the state of charge.</source>
        <translation>开启：LED 显示荷电状态。</translation>
    </message>
    <message>
        <source>The board&apos;s switch control time. The sources name it without saying what it does: leave it as the board has it.</source>
        <translation>保护板的开关控制时间。资料只给出名称而未说明其作用：请保持保护板当前的设置。</translation>
    </message>
    <message>
        <source>How long the LEDs stay on.</source>
        <translation>LED 保持点亮的时间。</translation>
    </message>
    <message>
        <source>The second cell over-voltage limit, which the measurement chip checks by itself. It normally lies above the cell over-voltage protection.</source>
        <translation>第二级单体过压限值，由测量芯片自行检测。通常高于单体过压保护值。</translation>
    </message>
    <message>
        <source>The second cell under-voltage limit, which the measurement chip checks by itself. It normally lies below the cell under-voltage protection.</source>
        <translation>第二级单体欠压限值，由测量芯片自行检测。通常低于单体欠压保护值。</translation>
    </message>
    <message>
        <source>The register of the hardware short-circuit and over-current settings as one number (read only: change the single values).</source>
        <translation>以一个数字表示的硬件短路与过流设置寄存器（只读：请修改各单项）。</translation>
    </message>
    <message>
        <source>On: the hardware short-circuit and over-current thresholds count double.</source>
        <translation>开启：硬件短路与过流阈值加倍。</translation>
    </message>
    <message>
        <source>The voltage across the current shunt at which the measurement chip cuts a short circuit, one of its fixed steps (TI front end). The current it stands for depends on the shunt.</source>
        <translation>测量芯片判定短路并切断输出时分流器两端的电压，为芯片的固定档位之一（TI 前端）。对应的电流取决于分流器。</translation>
    </message>
    <message>
        <source>How long a hardware over-current may last before the measurement chip cuts the output, one of its fixed steps (TI front end).</source>
        <translation>硬件过流持续多久后测量芯片切断输出，为芯片的固定档位之一（TI 前端）。</translation>
    </message>
    <message>
        <source>The voltage across the current shunt at which the measurement chip&apos;s own over-current protection cuts the output, one of its fixed steps (TI front end).</source>
        <translation>测量芯片自身的过流保护切断输出时分流器两端的电压，为芯片的固定档位之一（TI 前端）。</translation>
    </message>
    <message>
        <source>The register of the hardware voltage delays and the short-circuit release time as one number (read only: change the single values).</source>
        <translation>以一个数字表示的硬件电压延时与短路释放时间寄存器（只读：请修改各单项）。</translation>
    </message>
    <message>
        <source>How long a cell may stay above the second over-voltage limit before the measurement chip acts: 1, 2, 4 or 8 s. Sources disagree on the bit order of this register.</source>
        <translation>单体电压高于第二级过压限值多久后测量芯片动作：1、2、4 或 8 秒。各资料对该寄存器的位顺序说法不一。</translation>
    </message>
    <message>
        <source>How long the battery may stay below the charge under-temperature limit before charging is switched off.</source>
        <translation>电池温度低于充电低温限值多久后关闭充电。</translation>
    </message>
    <message>
        <source>How long the battery may stay above the charge over-temperature limit before charging is switched off.</source>
        <translation>电池温度高于充电高温限值多久后关闭充电。</translation>
    </message>
    <message>
        <source>How long the battery may stay below the discharge under-temperature limit before discharging is switched off.</source>
        <translation>电池温度低于放电低温限值多久后关闭放电。</translation>
    </message>
    <message>
        <source>How long the battery may stay above the discharge over-temperature limit before discharging is switched off.</source>
        <translation>电池温度高于放电高温限值多久后关闭放电。</translation>
    </message>
    <message>
        <source>How long the pack voltage may stay below the pack under-voltage protection before discharging is switched off.</source>
        <translation>电池组电压低于电池组欠压保护值多久后关闭放电。</translation>
    </message>
    <message>
        <source>How long the pack voltage may stay above the pack over-voltage protection before charging is switched off.</source>
        <translation>电池组电压高于电池组过压保护值多久后关闭充电。</translation>
    </message>
    <message>
        <source>How long a cell may stay below the cell under-voltage protection before discharging is switched off.</source>
        <translation>单体电压低于单体欠压保护值多久后关闭放电。</translation>
    </message>
    <message>
        <source>How long a cell may stay above the cell over-voltage protection before charging is switched off.</source>
        <translation>单体电压高于单体过压保护值多久后关闭充电。</translation>
    </message>
    <message>
        <source>The cut-off voltage of a GPS board connected to the BMS.</source>
        <translation>连接到 BMS 的 GPS 板的切断电压。</translation>
    </message>
    <message>
        <source>The cut-off time of a GPS board connected to the BMS.</source>
        <translation>连接到 BMS 的 GPS 板的切断时间。</translation>
    </message>
    <message>
        <source>The manufacturer name the board keeps: English letters, digits, dashes, underscores, dots and spaces, at most 31.</source>
        <translation>保护板记录的制造商名称：英文字母、数字、连字符、下划线、点和空格，最多 31 个字符。</translation>
    </message>
    <message>
        <source>The barcode text the board keeps: English letters, digits, dashes, underscores, dots and spaces, at most 31.</source>
        <translation>保护板记录的条码文本：英文字母、数字、连字符、下划线、点和空格，最多 31 个字符。</translation>
    </message>
    <message>
        <source>Nominal voltage</source>
        <extracomment>labels of the family&apos;s own keys that reach a person (settings, the read output)</extracomment>
        <translation>标称电压</translation>
    </message>
    <message>
        <source>Charge count</source>
        <translation>充电次数</translation>
    </message>
    <message>
        <source>Highest pack voltage seen</source>
        <translation>记录到的最高电池包电压</translation>
    </message>
    <message>
        <source>Highest discharge current seen</source>
        <translation>记录到的最大放电电流</translation>
    </message>
    <message>
        <source>Highest charge current seen</source>
        <translation>记录到的最大充电电流</translation>
    </message>
    <message>
        <source>BMS status bits</source>
        <translation>BMS 状态位</translation>
    </message>
    <message>
        <source>How many times the pack was put on charge, as its BMS counts it (register 0x1C).</source>
        <translation>电池包被充电的次数，由其 BMS 计数（寄存器 0x1C）。</translation>
    </message>
    <message>
        <source>The highest pack voltage the BMS recorded. Documented by one open firmware only: on a stock BMS the register may mean something else.</source>
        <translation>BMS 记录到的最高电池包电压。只有一个开源固件记载了它：在原厂 BMS 上该寄存器可能另有含义。</translation>
    </message>
    <message>
        <source>The highest discharge current the BMS recorded. Documented by one open firmware only: on a stock BMS the register may mean something else.</source>
        <translation>BMS 记录到的最大放电电流。只有一个开源固件记载了它：在原厂 BMS 上该寄存器可能另有含义。</translation>
    </message>
    <message>
        <source>The highest charge current the BMS recorded. Documented by one open firmware only: on a stock BMS the register may mean something else.</source>
        <translation>BMS 记录到的最大充电电流。只有一个开源固件记载了它：在原厂 BMS 上该寄存器可能另有含义。</translation>
    </message>
    <message>
        <source>The BMS&apos;s status register 0x30: charging, charger inserted, write lock and its protection states, one bit each.</source>
        <translation>BMS 的状态寄存器 0x30：充电中、充电器已接入、写保护锁及各项保护状态，每项一位。</translation>
    </message>
    <message>
        <source>Design capacity</source>
        <extracomment>a Snapshot / DeviceInfo field, a settings key, or an ``xiaomi_*`` extra never shown, logged or decoded (the ESC&apos;s PIN): ``redact`` blanks it the BMS register image (§3.4; BotoX&apos;s struct and the HJ tool agree on every word listed here unless a comment says otherwise)</extracomment>
        <translation>设计容量</translation>
    </message>
    <message>
        <source>The capacity the pack was built with, as its BMS keeps it (mAh). Read-only: a factory value; no public source documents a safe write to a stock Xiaomi or Ninebot BMS.</source>
        <translation>电池包出厂时的容量，由其 BMS 保存（mAh）。只读：这是出厂值；没有任何公开资料说明如何安全地写入原厂小米或九号 BMS。</translation>
    </message>
    <message>
        <source>The pack&apos;s nominal voltage as its BMS keeps it. Sources disagree whether the register holds the pack in 10 mV or one cell in mV; on a 10-cell pack both read 36 V, so it is shown as the pack voltage. Read-only: a factory value.</source>
        <translation>BMS 保存的电池包标称电压。资料对该寄存器存的是整包电压（单位 10 mV）还是单节电压（单位 mV）说法不一；对 10 串电池包两种读法都是 36 V，因此按整包电压显示。只读：这是出厂值。</translation>
    </message>
</context>
<context>
    <name>Widgets</name>
    <message>
        <source>not reported</source>
        <extracomment>a card&apos;s background while its reading is near (amber) or at/past (red) the board&apos;s limit</extracomment>
        <translation>未报告</translation>
    </message>
    <message>
        <source>not reported by this board</source>
        <translation>此保护板不报告此项</translation>
    </message>
</context>
<context>
    <name>WireBars</name>
    <message>
        <source>Wire resistance per cell</source>
        <translation>每串电芯的采集线电阻</translation>
    </message>
    <message>
        <source>mΩ</source>
        <translation>mΩ</translation>
    </message>
    <message>
        <source>{n} ({value})</source>
        <translation>{n} ({value})</translation>
    </message>
    <message>
        <source>High: cell {cells}, the median is {median}: check its busbar or wire</source>
        <translation>偏高：电芯 {cells}，中位数为 {median}：请检查其连接片或采集线</translation>
    </message>
    <message>
        <source>none stands out (median {median})</source>
        <translation>无明显异常（中位数 {median}）</translation>
    </message>
</context>
<context>
    <name>WriteDialog</name>
    <message>
        <source>Review and write — Packbench</source>
        <extracomment>emitted after anything was sent to the board (a write or a restore) the preset&apos;s values this board has no setting for (the review names them)</extracomment>
        <translation>检查并写入 — Packbench</translation>
    </message>
    <message>
        <source>Waiting for the board: the restore needs a live connection.</source>
        <translation>正在等待保护板：恢复需要在线连接。</translation>
    </message>
    <message>
        <source>The board was disconnected: nothing more can be written from this dialog.</source>
        <translation>保护板已断开：无法再从此对话框写入任何内容。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: wait {s} s.</source>
        <translation>密码错误次数过多：请等待 {s} s。</translation>
    </message>
    <message>
        <source>The safety rules above block this write.</source>
        <translation>上述安全规则阻止了此次写入。</translation>
    </message>
    <message>
        <source>Tick every warning you accept first.</source>
        <translation>请先勾选您接受的每一条警告。</translation>
    </message>
    <message>
        <source>Enter the setup password first.</source>
        <translation>请先输入设置密码。</translation>
    </message>
    <message>
        <source>Could not read the board: {reason}</source>
        <translation>无法读取保护板：{reason}</translation>
    </message>
    <message>
        <source>Writing {i} of {n}: {setting}</source>
        <translation>正在写入第 {i} / {n} 项：{setting}</translation>
    </message>
    <message>
        <source>Done: {n} of {n}</source>
        <translation>完成：{n} / {n}</translation>
    </message>
    <message>
        <source>Writing to the board — keep it connected</source>
        <translation>正在写入保护板 — 请保持连接</translation>
    </message>
    <message>
        <source>Checking the password and saving a backup …</source>
        <translation>正在核对密码并保存备份 …</translation>
    </message>
    <message>
        <source>Nothing was written: {reason}</source>
        <translation>未写入任何内容：{reason}</translation>
    </message>
    <message>
        <source>Restored the previous settings from the backup.</source>
        <translation>已从备份恢复之前的参数。</translation>
    </message>
    <message>
        <source>The restore did not complete: compare the table with the backup {path}.</source>
        <translation>恢复未完成：请将表格与备份 {path} 进行对比。</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>未写入任何内容。</translation>
    </message>
    <message numerus="yes">
        <source>Last write: %n change(s) written and verified. Backup: {path}</source>
        <translation>
            <numerusform>上次写入：%n 项更改已写入并验证。备份：{path}</numerusform>
        </translation>
    </message>
    <message>
        <source>Last write stopped: {done} of {total} changes are on the board; the highlighted rows are not. Backup: {path}</source>
        <translation>上次写入已中止：{total} 项更改中有 {done} 项已写入保护板；高亮显示的行未写入。备份：{path}</translation>
    </message>
    <message>
        <source>Restoring the previous settings — keep the board connected</source>
        <translation>正在恢复之前的参数 — 请保持保护板连接</translation>
    </message>
    <message>
        <source>Writing back the values from {path}</source>
        <translation>正在写回 {path} 中的数值</translation>
    </message>
    <message>
        <source>Not restored, nothing was written: {reason}</source>
        <translation>未恢复，未写入任何内容：{reason}</translation>
    </message>
</context>
<context>
    <name>WriteReport</name>
    <message>
        <source>written and verified</source>
        <translation>已写入并验证</translation>
    </message>
    <message>
        <source>refused by the board</source>
        <translation>被保护板拒绝</translation>
    </message>
    <message>
        <source>acknowledged but not stored</source>
        <translation>已确认但未保存</translation>
    </message>
    <message>
        <source>stored, but not acknowledged</source>
        <translation>已保存，但未确认</translation>
    </message>
    <message>
        <source>link lost: unknown</source>
        <translation>连接中断：状态未知</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>not attempted</source>
        <translation>未尝试</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>changed by someone else or by the board</source>
        <translation>已被其他程序或保护板本身更改</translation>
    </message>
    <message>
        <source>not saved</source>
        <translation>写入后未保存</translation>
    </message>
    <message>
        <source>The board now holds {got}, neither the previous {old} nor the requested {new}: another program or the board itself changed it.</source>
        <translation>保护板现在的值是 {got}，既不是原来的 {old}，也不是要求的 {new}：其他程序或保护板本身更改了它。</translation>
    </message>
    <message>
        <source>Written, but the board never saved it (the link dropped or the write was interrupted first): the board keeps {old}.</source>
        <translation>已写入，但保护板没有保存（连接先断开了，或写入被中断）：保护板保持 {old}。</translation>
    </message>
    <message>
        <source>The board acknowledged the write but kept {old}.</source>
        <translation>保护板确认了写入，但仍保持 {old}。</translation>
    </message>
    <message>
        <source>The board did not acknowledge the write and kept {old}.</source>
        <translation>保护板未确认写入，仍保持 {old}。</translation>
    </message>
    <message>
        <source>This board&apos;s setup password is not the factory one; newer JK-PB firmware then accepts settings only from the vendor app.</source>
        <translation>此保护板的设置密码不是出厂密码；较新的 JK-PB 固件在这种情况下只接受来自厂商 App 的参数设置。</translation>
    </message>
    <message>
        <source>The board stored the value but sent no acknowledgement.</source>
        <translation>保护板保存了该数值，但未发送确认。</translation>
    </message>
    <message>
        <source>The link failed while writing: the board may or may not have stored this value.</source>
        <translation>写入时连接失败：保护板可能已保存该数值，也可能没有。</translation>
    </message>
    <message>
        <source>Not written: the write stopped at an earlier key.</source>
        <translation>未写入：写入在之前的参数处已停止。</translation>
    </message>
    <message>
        <source>Not written: you cancelled.</source>
        <translation>未写入：您已取消。</translation>
    </message>
    <message>
        <source>Nothing to write: the board already has these values.</source>
        <translation>无需写入：保护板已经是这些数值。</translation>
    </message>
    <message numerus="yes">
        <source>All %n change(s) were written, read back and verified. The board now has the new settings.</source>
        <translation>
            <numerusform>全部 %n 项更改均已写入、读回并验证。保护板现已使用新参数。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped at {setting}: {status}.</source>
        <translation>在 {setting} 处停止：{status}。</translation>
    </message>
    <message>
        <source>You cancelled: the remaining changes were not written.</source>
        <translation>您已取消：其余更改未写入。</translation>
    </message>
    <message>
        <source>The board&apos;s state is not known for {setting}. Reconnect, then compare with the backup or restore it.</source>
        <translation>{setting} 在保护板上的状态未知。请重新连接，然后与备份进行对比或恢复备份。</translation>
    </message>
    <message>
        <source>Nothing was changed on the board: it still has all its previous settings.</source>
        <translation>保护板上没有任何更改：所有参数仍为之前的数值。</translation>
    </message>
    <message>
        <source>{done} of {total} changes are on the board (marked “written and verified”); every other setting still has its previous value, so the board now runs with a mix of old and new settings. Restore the backup, or fix the cause and write again.</source>
        <translation>{total} 项更改中有 {done} 项已写入保护板（标记为“已写入并验证”）；其余参数仍为之前的数值，因此保护板目前混合使用新旧参数运行。请恢复备份，或排除原因后重新写入。</translation>
    </message>
    <message>
        <source>No board connected</source>
        <translation>未连接保护板</translation>
    </message>
    <message>
        <source>{model}, serial {serial}, firmware {firmware} ({protocol}) on {url}</source>
        <translation>{model}，序列号 {serial}，固件 {firmware}（{protocol}），{url}</translation>
    </message>
</context>
<context>
    <name>WriteSteps</name>
    <message>
        <source>1. Packbench asks the board for factory mode, where its settings are kept. It sends the password only if the board asks for one; if the board refuses it, nothing is written.</source>
        <translation>1. Packbench 请求保护板进入工厂模式（设置保存在其中）。只有当保护板要求时才发送密码；如果保护板拒绝，则不会写入任何内容。</translation>
    </message>
    <message>
        <source>1. Packbench sends the password only if the board asks for one, once; if the board refuses it, nothing is written.</source>
        <translation>1. 仅当保护板要求时，Packbench 才发送密码，且只发送一次；若保护板拒绝，则不写入任何内容。</translation>
    </message>
    <message>
        <source>1. Packbench checks the password against the one the board reports. If it is wrong, nothing is sent.</source>
        <translation>1. Packbench 会将密码与保护板报告的密码进行核对。如果密码错误，则不发送任何内容。</translation>
    </message>
    <message>
        <source>When you press Write:</source>
        <translation>点击“写入”后：</translation>
    </message>
    <message>
        <source>2. It saves all the board&apos;s current settings to a backup file in {folder}.</source>
        <translation>2. 将保护板当前的全部参数保存到 {folder} 中的备份文件。</translation>
    </message>
    <message>
        <source>3. It writes the changes one at a time, in the order shown, so that every step leaves valid settings on the board.</source>
        <translation>3. 按所示顺序逐项写入更改，确保每一步之后保护板上的参数都有效。</translation>
    </message>
    <message>
        <source>4. After each write it reads the settings back and checks the value. At the first problem it stops, says what the board has now, and offers to restore the backup.</source>
        <translation>4. 每次写入后读回参数并核对数值。一旦出现问题即停止，说明保护板当前的数值，并提供恢复备份的选项。</translation>
    </message>
    <message>
        <source>5. It leaves factory mode, which makes the board save the changes (also after a problem or a lost link: the board is never left in factory mode), and reads everything back once more.</source>
        <translation>5. 退出工厂模式，保护板随即保存更改（即使出现问题或连接中断也会退出：保护板绝不会停留在工厂模式），然后再读回所有设置一次。</translation>
    </message>
    <message>
        <source>5. After the last write it tells the board, once, to store the changes, and reads everything back once more.</source>
        <translation>5. 最后一次写入之后，它通知保护板保存更改（只发送一次），并再次读回全部设置。</translation>
    </message>
    <message>
        <source>This board has no setting for these values of the preset and the pack, so they have nowhere to go and nothing is written for them:</source>
        <translation>此保护板没有对应以下预设和电池组数值的设置，这些数值无处可写，不会写入：</translation>
    </message>
    <message>
        <source>• {setting}: {value}</source>
        <translation>• {setting}：{value}</translation>
    </message>
</context>
<context>
    <name>ZeroCurrentSection</name>
    <message>
        <source>With the charger and the load disconnected, the board takes the current it reads now as 0 A.</source>
        <translation>在断开充电器和负载的情况下，保护板会把当前读到的电流当作 0 A。</translation>
    </message>
    <message>
        <source>Zero the current…</source>
        <translation>电流归零…</translation>
    </message>
    <message>
        <source>Zero the board&apos;s current reading?</source>
        <translation>将保护板的电流读数归零？</translation>
    </message>
    <message>
        <source>Zero the current</source>
        <translation>电流归零</translation>
    </message>
    <message>
        <source>Packbench reads the current first, zeroes it and reads it again.</source>
        <translation>Packbench 先读取电流，再归零，然后再次读取。</translation>
    </message>
    <message>
        <source>Zeroing and reading back …</source>
        <translation>正在归零并读回……</translation>
    </message>
    <message>
        <source>Verified: the board now reads {after} A with nothing connected (was {before} A).</source>
        <translation>已核实：在未连接任何设备时，保护板现在读数为 {after} A（之前为 {before} A）。</translation>
    </message>
    <message>
        <source>The board did not acknowledge: nothing changed.</source>
        <translation>保护板没有确认：未做任何更改。</translation>
    </message>
    <message>
        <source>The board acknowledged but still reads {after} A.</source>
        <translation>保护板已确认，但读数仍为 {after} A。</translation>
    </message>
</context>
</TS>
