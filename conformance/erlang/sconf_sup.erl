%% Callback module of every supervisor in the tree (root and nested). The real
%% supervisor code is vsupervisor (a renamed copy of the installed supervisor.erl, made at
%% run time). init asks the driver for this node's flags and child specs, and turns on
%% call tracing of this supervisor process for the driver (see sconf_driver).
-module(sconf_sup).
-export([init/1]).

init({Path, Nid, Parent}) ->
    {Flags, Specs, Tracer} = sconf_child:request({sup_init, Path, Nid, Parent, self()}),
    1 = erlang:trace(self(), true, [call, {tracer, Tracer}]),
    {ok, {Flags, Specs}}.
