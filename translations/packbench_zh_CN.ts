<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>avg cell {v:.3f} V</source>
        <translation>单体平均 {v:.3f} V</translation>
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
        <source>discharging</source>
        <translation>放电中</translation>
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
        <source>avg {v:.3f} V</source>
        <translation>平均 {v:.3f} V</translation>
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
        <source>cell {n}</source>
        <translation>电芯 {n}</translation>
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
    <message>
        <source>Capacity {left:.1f} of {full:.1f} Ah</source>
        <translation>容量 {left:.1f} / {full:.1f} Ah</translation>
    </message>
    <message>
        <source>Capacity {left:.1f} Ah</source>
        <translation>容量 {left:.1f} Ah</translation>
    </message>
    <message>
        <source>Cycles {n}</source>
        <translation>循环次数 {n}</translation>
    </message>
    <message>
        <source>Balance current {a:.2f} A</source>
        <translation>均衡电流 {a:.2f} A</translation>
    </message>
    <message>
        <source>BALANCING</source>
        <translation>均衡中</translation>
    </message>
    <message>
        <source>IDLE</source>
        <translation>未均衡</translation>
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
        <source>UNKNOWN</source>
        <translation>未知</translation>
    </message>
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
    <name>ConnectionPage</name>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>e.g. /dev/ttyUSB0, COM3, socket://192.168.4.1:8899 or sim://jk02_32s?cells=16</source>
        <translation>例如 /dev/ttyUSB0、COM3、socket://192.168.4.1:8899 或 sim://jk02_32s?cells=16</translation>
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
        <source>How to connect a real board</source>
        <translation>如何连接真实的保护板</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;USB cable&lt;/b&gt; (USB-RS485 or USB-TTL adapter on the board&apos;s RS485/UART port): pick the port on the right, or type it: &lt;code&gt;/dev/ttyUSB0&lt;/code&gt; on Linux, &lt;code&gt;COM3&lt;/code&gt; on Windows. On Linux you may have to join the &lt;i&gt;dialout&lt;/i&gt; group once.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Network bridge&lt;/b&gt; (a WiFi/Ethernet-to-serial box wired to the board): type &lt;code&gt;socket://192.168.4.1:8899&lt;/code&gt; with your bridge&apos;s address and port.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bluetooth LE&lt;/b&gt;: coming with the JK issue; use a cable or bridge for now.&lt;/p&gt;&lt;p&gt;&lt;b&gt;No board at hand?&lt;/b&gt; The demo button connects to a built-in simulated 16-cell JK board.&lt;/p&gt;&lt;p&gt;Leave the protocol on &lt;i&gt;Automatic&lt;/i&gt; unless you know it: a JK board tells its variant when asked.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;USB 线&lt;/b&gt;（USB-RS485 或 USB-TTL 转接器，接在保护板的 RS485/UART 端口上）：在右侧选择端口，或直接输入：Linux 上为 &lt;code&gt;/dev/ttyUSB0&lt;/code&gt;，Windows 上为 &lt;code&gt;COM3&lt;/code&gt;。在 Linux 上可能需要先将用户加入 &lt;i&gt;dialout&lt;/i&gt; 组（只需一次）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;网络桥接&lt;/b&gt;（与保护板相连的 WiFi/以太网转串口设备）：输入 &lt;code&gt;socket://192.168.4.1:8899&lt;/code&gt;，并换成您的桥接设备的地址和端口。&lt;/p&gt;&lt;p&gt;&lt;b&gt;低功耗蓝牙（Bluetooth LE）&lt;/b&gt;：将随 JK 相关功能一同提供；目前请使用数据线或桥接设备。&lt;/p&gt;&lt;p&gt;&lt;b&gt;手边没有保护板？&lt;/b&gt;点击演示按钮即可连接内置的模拟 16 串 JK 保护板。&lt;/p&gt;&lt;p&gt;除非您确切知道协议，否则请将协议保持为&lt;i&gt;自动&lt;/i&gt;：JK 保护板在被询问时会报告其型号版本。&lt;/p&gt;</translation>
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
</context>
<context>
    <name>ControlPage</name>
    <message>
        <source>Switching, calibration and resets arrive with the Control feature; nothing here writes to the board.</source>
        <extracomment>outputs whose OFF is the normal state: OFF grey, ON amber</extracomment>
        <translation>开关控制、校准和复位将随“控制”功能提供；此页面不会向保护板写入任何内容。</translation>
    </message>
    <message>
        <source>Switches (the board&apos;s settings)</source>
        <translation>开关（保护板参数）</translation>
    </message>
    <message>
        <source>What the board is allowed to do. Read when connecting and with “Refresh from board” on the Parameters page.</source>
        <translation>保护板被允许执行的功能。在连接时读取，也可在“参数”页点击“从保护板刷新”读取。</translation>
    </message>
    <message>
        <source>Outputs now (live data)</source>
        <translation>当前输出（实时数据）</translation>
    </message>
    <message>
        <source>What the board is doing this moment. A MOSFET that is OFF while its switch is ON usually means a protection tripped: see the alarms on the Live cells page.</source>
        <translation>保护板此刻的实际状态。若某个 MOSFET 为关而其开关为开，通常表示触发了保护：请查看“实时电芯”页上的告警。</translation>
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
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Pack voltage</source>
        <extracomment>samples kept per cell for the history plot (60 s at 10 frames/s, 5 min at 2/s) the history plot is redrawn every this many timer ticks (5 Hz): it moves slowly, and its 32 paths are the most expensive thing on the page margin above and below the cells in the bar chart, and its rounding step current below this counts as idle (sensor noise) how many redraws actually drew (tests and benchmarks look at it)</extracomment>
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
        <source>Cycles {n}</source>
        <translation>循环次数 {n}</translation>
    </message>
    <message>
        <source>Balance current {a:.2f} A</source>
        <translation>均衡电流 {a:.2f} A</translation>
    </message>
    <message>
        <source>Cell voltages now</source>
        <translation>当前单体电压</translation>
    </message>
    <message>
        <source>Cell voltage (V)</source>
        <translation>单体电压 (V)</translation>
    </message>
    <message>
        <source>Cell number</source>
        <translation>电芯序号</translation>
    </message>
    <message>
        <source>Cell voltage history</source>
        <translation>单体电压历史</translation>
    </message>
    <message>
        <source>Seconds before now</source>
        <translation>距今秒数</translation>
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
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制</translation>
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
</context>
<context>
    <name>ParametersPage</name>
    <message>
        <source>Board</source>
        <extracomment>keys never shown, whatever a decoder puts into the settings</extracomment>
        <translation>保护板</translation>
    </message>
    <message>
        <source>Read-only in this version: editing, presets and the password-protected write arrive with the Parameters feature.</source>
        <translation>此版本为只读：编辑、预设以及需密码的写入将随“参数”功能提供。</translation>
    </message>
    <message>
        <source>Refresh from board</source>
        <translation>从保护板刷新</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
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
        <source>Connect to a board to see its settings.</source>
        <translation>连接保护板后即可查看其参数。</translation>
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
        <source>Read from the board at {time}</source>
        <translation>于 {time} 从保护板读取</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>未上报</translation>
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
</context>
</TS>
